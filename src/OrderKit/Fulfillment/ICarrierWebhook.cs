namespace OrderKit.Fulfillment;

/// <summary>Implemented by a carrier adapter that receives tracking by webhook: turns the carrier's payload into tracking events.</summary>
/// <remarks>
/// <para><see cref="FulfillmentService.ReceiveWebhookAsync"/> calls it with the request body the host received.
/// Checking the request's signature is the host's or the adapter's job before that call.</para>
/// <para>Thread safety: the adapter is a singleton; this must be thread-safe. It must not call the carrier.</para>
/// </remarks>
public interface ICarrierWebhook
{
    /// <summary>Reads a webhook payload.</summary>
    /// <param name="payload">The request body, as text.</param>
    /// <returns>The tracking events it carries, in any order; empty for a payload about something else (a test ping).</returns>
    /// <exception cref="FormatException">The payload does not parse; the message says where and why.</exception>
    IReadOnlyList<CarrierTrackingEvent> ParseWebhook(string payload);
}
