namespace OrderKit;

/// <summary>The names OrderKit's telemetry is published under, for wiring it into OpenTelemetry or any listener.</summary>
/// <remarks>
/// <para>OrderKit depends on no telemetry package: it writes to a <see cref="System.Diagnostics.Metrics.Meter"/> and an
/// <see cref="System.Diagnostics.ActivitySource"/>, both named <see cref="MeterName"/> / <see cref="ActivitySourceName"/>,
/// which cost nothing until something listens. With OpenTelemetry:
/// <c>.WithMetrics(m =&gt; m.AddMeter(OrderKitDiagnostics.MeterName)).WithTracing(t =&gt; t.AddSource(OrderKitDiagnostics.ActivitySourceName))</c>.
/// <c>docs/observability.md</c> lists every instrument and span.</para>
/// </remarks>
public static class OrderKitDiagnostics
{
    /// <summary>The name of the meter: <c>OrderKit</c>.</summary>
    public const string MeterName = "OrderKit";

    /// <summary>The name of the activity source: <c>OrderKit</c>.</summary>
    public const string ActivitySourceName = "OrderKit";
}
