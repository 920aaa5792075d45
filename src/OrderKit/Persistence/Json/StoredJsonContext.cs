using System.Text.Json.Serialization;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;

namespace OrderKit.Persistence.Json;

/// <summary>A stored document: the format it was written in, and its value.</summary>
internal sealed record Document<T>(int Format, T Value);

/// <summary>The System.Text.Json metadata of everything OrderKit stores as JSON, generated at build time (no reflection, trimming- and AOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = true,
    Converters = [
        typeof(SkuConverter), typeof(OrderIdConverter), typeof(CustomerIdConverter), typeof(LocationIdConverter),
        typeof(SalesChannelConverter), typeof(CurrencyConverter), typeof(InstantConverter), typeof(LocalDateConverter),
        typeof(QuantityConverter), typeof(MoneyConverter), typeof(GeoPointConverter), typeof(InventoryPolicyConverter),
        typeof(LineAllocationConverter), typeof(LocalTimeConverter), typeof(DateTimeZoneConverter),
        typeof(BusinessCalendarConverter)])]
[JsonSerializable(typeof(Document<OrderSnapshot>))]
[JsonSerializable(typeof(Document<OrderEvent>))]
[JsonSerializable(typeof(Document<StockLocation>))]
[JsonSerializable(typeof(Document<InventoryPolicy>))]
[JsonSerializable(typeof(Document<List<HeldStock>>))]
[JsonSerializable(typeof(HoldReleased))]
[JsonSerializable(typeof(LineBackordered))]
[JsonSerializable(typeof(LineDeallocated))]
[JsonSerializable(typeof(LinesAllocated))]
[JsonSerializable(typeof(LinesDelivered))]
[JsonSerializable(typeof(LinesShipped))]
[JsonSerializable(typeof(OrderCancelled))]
[JsonSerializable(typeof(OrderCompleted))]
[JsonSerializable(typeof(OrderConfirmed))]
[JsonSerializable(typeof(OrderHeld))]
[JsonSerializable(typeof(OrderLineCancelled))]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(OrderStatusChanged))]
[JsonSerializable(typeof(PaymentCaptured))]
[JsonSerializable(typeof(PaymentFailed))]
[JsonSerializable(typeof(PaymentRefunded))]
[JsonSerializable(typeof(PaymentVoided))]
[JsonSerializable(typeof(StockShortfall))]
[JsonSerializable(typeof(ShipmentCreated))]
[JsonSerializable(typeof(ShipmentPicked))]
[JsonSerializable(typeof(ShipmentPacked))]
[JsonSerializable(typeof(ShipmentSplit))]
[JsonSerializable(typeof(ShipmentMoved))]
[JsonSerializable(typeof(ShipmentLabelPurchased))]
[JsonSerializable(typeof(ShipmentLabelVoided))]
[JsonSerializable(typeof(ShipmentShipped))]
[JsonSerializable(typeof(ShipmentTracked))]
[JsonSerializable(typeof(ShipmentOutForDelivery))]
[JsonSerializable(typeof(ShipmentDelivered))]
[JsonSerializable(typeof(DeliveryException))]
[JsonSerializable(typeof(ShipmentReturnedToSender))]
[JsonSerializable(typeof(ShipmentCancelled))]
[JsonSerializable(typeof(PaymentCaptureFailed))]
[JsonSerializable(typeof(DeliveryPromised))]
[JsonSerializable(typeof(OrderAtRisk))]
[JsonSerializable(typeof(ReturnRequested))]
[JsonSerializable(typeof(ReturnAuthorized))]
[JsonSerializable(typeof(ReturnRejected))]
[JsonSerializable(typeof(ReturnInTransit))]
[JsonSerializable(typeof(ReturnReceived))]
[JsonSerializable(typeof(ReturnInspected))]
[JsonSerializable(typeof(ReturnResolved))]
[JsonSerializable(typeof(ReturnClosed))]
[JsonSerializable(typeof(ReturnCancelled))]
[JsonSerializable(typeof(ClaimRecorded))]
internal sealed partial class StoredJsonContext : JsonSerializerContext
{
    /// <summary>The concrete events, by the name written in their <c>type</c> property.</summary>
    internal static readonly Type[] EventTypes =
    [
        typeof(HoldReleased),
        typeof(LineBackordered),
        typeof(LineDeallocated),
        typeof(LinesAllocated),
        typeof(LinesDelivered),
        typeof(LinesShipped),
        typeof(OrderCancelled),
        typeof(OrderCompleted),
        typeof(OrderConfirmed),
        typeof(OrderHeld),
        typeof(OrderLineCancelled),
        typeof(OrderPlaced),
        typeof(OrderStatusChanged),
        typeof(PaymentCaptured),
        typeof(PaymentFailed),
        typeof(PaymentRefunded),
        typeof(PaymentVoided),
        typeof(StockShortfall),
        typeof(ShipmentCreated),
        typeof(ShipmentPicked),
        typeof(ShipmentPacked),
        typeof(ShipmentSplit),
        typeof(ShipmentMoved),
        typeof(ShipmentLabelPurchased),
        typeof(ShipmentLabelVoided),
        typeof(ShipmentShipped),
        typeof(ShipmentTracked),
        typeof(ShipmentOutForDelivery),
        typeof(ShipmentDelivered),
        typeof(DeliveryException),
        typeof(ShipmentReturnedToSender),
        typeof(ShipmentCancelled),
        typeof(PaymentCaptureFailed),
        typeof(DeliveryPromised),
        typeof(OrderAtRisk),
        typeof(ReturnRequested),
        typeof(ReturnAuthorized),
        typeof(ReturnRejected),
        typeof(ReturnInTransit),
        typeof(ReturnReceived),
        typeof(ReturnInspected),
        typeof(ReturnResolved),
        typeof(ReturnClosed),
        typeof(ReturnCancelled),
        typeof(ClaimRecorded),
    ];
}
