using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderKit.Orders;

/// <summary>A stable fingerprint of a request, to tell a retry from a different request under one idempotency key.</summary>
internal static class RequestFingerprint
{
    public static string Of(PlaceOrderRequest request)
    {
        var text = new StringBuilder(256);
        Append(text, request.CustomerId.Value);
        Append(text, request.Channel.Value);
        Append(text, request.Currency.Code);
        AppendAddress(text, request.ShippingAddress);
        AppendAddress(text, request.BillingAddress);
        Append(text, request.ShippingCharge?.ToString());
        Append(text, request.Discount?.ToString());
        Append(text, request.PromisedDeliveryDate?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
        Append(text, request.OrderId?.Value);
        Append(text, request.CartId);
        Append(text, request.ReplacementFor?.Value);
        Append(text, request.ShippingMethod?.CarrierCode);
        Append(text, request.ShippingMethod?.Service);
        Append(text, request.ShippingMethod?.TransitDays.ToString(CultureInfo.InvariantCulture));
        foreach (PlaceOrderLine line in request.Lines)
        {
            Append(text, line.Sku.Value);
            Append(text, line.Quantity.ToString());
            Append(text, line.UnitPrice.ToString());
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void AppendAddress(StringBuilder text, Address? address)
    {
        if (address is null)
        {
            Append(text, null);
            return;
        }

        Append(text, address.Recipient);
        Append(text, address.Line1);
        Append(text, address.Line2);
        Append(text, address.City);
        Append(text, address.Region);
        Append(text, address.PostalCode);
        Append(text, address.CountryCode);
        Append(text, address.Phone);
    }

    // Length-prefixed, so that no two different field lists can produce the same text.
    private static void Append(StringBuilder text, string? value) =>
        text.Append(value is null ? "-1" : value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
}
