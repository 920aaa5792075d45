using NodaTime;
using OrderKit.Events;

namespace OrderKit;

/// <summary>How OrderKit behaves: retention, retries and outbox delivery.</summary>
/// <remarks>
/// <para>Set the options in <see cref="OrderKitServiceCollectionExtensions.AddOrderKit"/>; they are checked there, once,
/// and a bad value throws at start-up naming the option. Services built without a container take an instance and
/// check it in their constructor.</para>
/// <para>Thread safety: set the options before OrderKit starts; do not change them afterwards.</para>
/// </remarks>
public sealed class OrderKitOptions
{
    /// <summary>Gets or sets how long an idempotency record is kept: within it, a retry with the same key replays the first result.</summary>
    /// <value>The default value is 24 hours. It must be positive.</value>
    public Duration IdempotencyRetention { get; set; } = Duration.FromHours(24);

    /// <summary>Gets or sets how many times a command is retried when another unit of work changed the same order first, or the store was briefly busy (<see cref="Persistence.TransientStoreException"/>).</summary>
    /// <value>The default value is 3. It must be between 0 and 100.</value>
    public int MaxConcurrencyRetries { get; set; } = 3;

    /// <summary>Gets or sets how many outbox messages the relay reads at a time.</summary>
    /// <value>The default value is 100. It must be between 1 and 10,000.</value>
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>Gets or sets how long the relay waits before looking at the outbox again when it found nothing to deliver or a delivery failed.</summary>
    /// <value>The default value is 1 second. It must be positive.</value>
    public Duration OutboxPollInterval { get; set; } = Duration.FromSeconds(1);

    /// <summary>Gets or sets a callback told of every failed delivery; the message stays in the outbox and is retried.</summary>
    /// <value>The default value is null: failures are reported only in <see cref="OutboxDeliveryResult"/>.</value>
    public Action<OutboxDeliveryFailure>? OutboxDeliveryFailed { get; set; }

    /// <summary>Gets or sets the shop's time zone, for dates such as preorder releases; UTC unless set.</summary>
    public DateTimeZone TimeZone { get; set; } = DateTimeZone.Utc;

    /// <summary>Gets or sets how orders are allocated unless a call says otherwise.</summary>
    public Allocation.AllocationPreferences Allocation { get; set; } = new();

    /// <summary>Gets or sets whether stock that arrives (received, restocked, counted up, transferred in) fills waiting orders at once; on unless set.</summary>
    public bool FillBackordersOnArrival { get; set; } = true;

    /// <summary>Gets or sets when <see cref="Payments.PaymentService"/> captures authorized money.</summary>
    /// <value><see cref="Payments.PaymentCapturePolicy.OnShipment"/>: capture what ships, when it ships.</value>
    public Payments.PaymentCapturePolicy PaymentCapture { get; set; } = Payments.PaymentCapturePolicy.OnShipment;

    /// <summary>Gets or sets the days carriers deliver on, over which transit days are counted (<see cref="Shipping.DeliveryPromise"/>, <see cref="Shipping.CarrierRegistry"/>).</summary>
    /// <value><see cref="Shipping.BusinessCalendar.MondayToFriday"/>.</value>
    public Shipping.BusinessCalendar TransitCalendar { get; set; } = Shipping.BusinessCalendar.MondayToFriday;

    /// <summary>Gets or sets the return policy: the return windows, the restocking fee, and whether shipping is refunded.</summary>
    /// <value>A 30-day window, no restocking fee, shipping refunded when the shop is at fault.</value>
    /// <remarks><see cref="Orders.OrderService.CompleteDeliveredOrdersAsync"/> completes delivered orders once every line's window has passed.</remarks>
    public Returns.ReturnPolicy Returns { get; set; } = new();

    /// <summary>Gets or sets where OrderKit writes its log messages; <c>AddOrderKit</c> sets the host's <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/> when this is null.</summary>
    /// <value>Null: no logging.</value>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Returns the logger of an OrderKit component.</summary>
    internal Microsoft.Extensions.Logging.ILogger LoggerFor<T>() =>
        LoggerFactory is { } factory ? Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<T>(factory) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Checks every option; <c>AddOrderKit</c> and the services call it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and its value.</exception>
    /// <exception cref="ArgumentNullException">An option that must be set is null.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeZone, nameof(TimeZone));
        ArgumentNullException.ThrowIfNull(Allocation, nameof(Allocation));
        ArgumentNullException.ThrowIfNull(TransitCalendar, nameof(TransitCalendar));
        ArgumentNullException.ThrowIfNull(Returns, nameof(Returns));

        if (IdempotencyRetention <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(IdempotencyRetention), IdempotencyRetention, $"{nameof(OrderKitOptions)}.{nameof(IdempotencyRetention)} must be positive.");
        }

        if (MaxConcurrencyRetries is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrencyRetries), MaxConcurrencyRetries, $"{nameof(OrderKitOptions)}.{nameof(MaxConcurrencyRetries)} must be between 0 and 100.");
        }

        if (OutboxBatchSize is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(OutboxBatchSize), OutboxBatchSize, $"{nameof(OrderKitOptions)}.{nameof(OutboxBatchSize)} must be between 1 and 10,000.");
        }

        if (OutboxPollInterval <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OutboxPollInterval), OutboxPollInterval, $"{nameof(OrderKitOptions)}.{nameof(OutboxPollInterval)} must be positive.");
        }
    }
}
