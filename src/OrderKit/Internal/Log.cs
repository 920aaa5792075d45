using Microsoft.Extensions.Logging;

namespace OrderKit.Internal;

/// <summary>
/// OrderKit's log messages, source-generated, with stable event ids. Identifiers and counts only: never addresses,
/// names, emails or phone numbers.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Delivering event {EventName} #{Sequence} of order {OrderId} to the handlers failed; the order's later events wait for the next pass")]
    public static partial void OutboxDeliveryFailed(ILogger logger, Exception exception, string eventName, int sequence, OrderId orderId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Outbox pass delivered {Delivered} event(s), {Failed} failed")]
    public static partial void OutboxPass(ILogger logger, int delivered, int failed);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "{Command} of order {OrderId} lost a race (attempt {Attempt}) and is tried again: {Reason}")]
    public static partial void Retrying(ILogger logger, string command, OrderId orderId, int attempt, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Order {OrderId} is at risk: {Units} unit(s) not shipped by {ShipBy}")]
    public static partial void OrderAtRisk(ILogger logger, OrderId orderId, int units, NodaTime.Instant shipBy);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Order {OrderId} completed after its return window")]
    public static partial void OrderCompleted(ILogger logger, OrderId orderId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Carrier {CarrierCode} failed ({Transient}): {Reason}")]
    public static partial void CarrierFailed(ILogger logger, string carrierCode, string transient, string reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "The payment provider refused to {Operation} {Amount} for order {OrderId}: {Reason}")]
    public static partial void PaymentRefused(ILogger logger, string operation, Money amount, OrderId orderId, string reason);
}
