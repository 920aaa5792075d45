using System.Security.Cryptography;
using System.Text;

namespace OrderKit.Samples.Storefront;

/// <summary>
/// Checks a carrier webhook's signature: the header <c>X-Signature: sha256=&lt;hex&gt;</c>, an HMAC-SHA256 of the raw
/// request body under the secret shared with the carrier (<c>Storefront:WebhookSecret</c>). Without a valid signature
/// anyone who can reach the endpoint could mark parcels delivered.
/// </summary>
internal sealed class WebhookSignature(string? secret)
{
    public const string Header = "X-Signature";
    private const string Prefix = "sha256=";

    private readonly byte[]? _key = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);

    /// <summary>Reads the body whole and checks its signature.</summary>
    /// <returns>The body; null, with why, when the request is not to be trusted.</returns>
    public async Task<(byte[]? Body, string? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (_key is null)
        {
            return (null, "No webhook secret is configured: set Storefront:WebhookSecret to the secret shared with the carrier.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        byte[] body = buffer.ToArray();
        string? header = request.Headers[Header].FirstOrDefault();
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (null, $"The request has no {Header} header of the form {Prefix}<hex>.");
        }

        byte[] expected = HMACSHA256.HashData(_key, body);
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return (null, $"The {Header} header is not hexadecimal after {Prefix}.");
        }

        return CryptographicOperations.FixedTimeEquals(expected, given) ? (body, null) : (null, $"The {Header} header does not match the body.");
    }
}
