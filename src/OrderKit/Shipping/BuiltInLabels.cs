using System.Security.Cryptography;
using System.Text;
using OrderKit.Fulfillment;

namespace OrderKit.Shipping;

/// <summary>Labels of the built-in carriers: derived from the idempotency key, so a retry returns the same label even after a restart.</summary>
internal static class BuiltInLabels
{
    public static string TrackingNumber(string carrierCode, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            throw new ArgumentException("idempotencyKey must not be blank.", nameof(idempotencyKey));
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(carrierCode + "\n" + idempotencyKey));
        ulong number = BitConverter.ToUInt64(hash, 0) % 10_000_000_000_000_000UL;
        return carrierCode.ToUpperInvariant() + number.ToString("D16", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static ShippingLabel Make(string carrierCode, string service, string trackingNumber, Money cost, TrackingUrlTemplate? template, int? transitDays) =>
        new(carrierCode, service, trackingNumber, carrierCode + ":" + trackingNumber, cost)
        {
            TrackingUrl = template?.For(trackingNumber),
            TransitDays = transitDays,
        };

    public static NotSupportedException NotSupported(string carrierCode, string what) =>
        new($"Carrier {carrierCode} does not {what}; see its Capabilities.");
}
