namespace OrderKit.Payments;

/// <summary>When <see cref="PaymentService"/> captures authorized money; see <see cref="OrderKitOptions.PaymentCapture"/>.</summary>
public enum PaymentCapturePolicy
{
    /// <summary>Capture what ships, when it ships: each shipment captures the share of the order total its units are worth.</summary>
    OnShipment = 0,

    /// <summary>Capture the whole total as soon as the payment is authorized.</summary>
    AtAuthorization = 1,
}
