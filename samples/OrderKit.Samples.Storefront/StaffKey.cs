using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OrderKit.Samples.Storefront;

/// <summary>
/// Authenticates the shop's staff by a shared key sent as <c>Authorization: Bearer &lt;key&gt;</c>, the key set in
/// <c>Storefront:StaffKey</c>. Without a key configured no request is staff, so the staff actions answer 401 rather
/// than being open. A real shop would sign its staff in with its own identity provider (OpenID Connect, cookies) and
/// keep the <see cref="Policy"/> the endpoints require.
/// </summary>
internal static class StaffKey
{
    /// <summary>The authentication scheme's name.</summary>
    public const string Scheme = "StaffKey";

    /// <summary>The authorization policy the staff endpoints require, and the role it asks for.</summary>
    public const string Policy = "staff";
}

/// <summary>The handler of the <see cref="StaffKey.Scheme"/> scheme.</summary>
internal sealed class StaffKeyHandler(IOptionsMonitor<StaffKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<StaffKeyOptions>(options, logger, encoder)
{
    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith(Bearer, StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (string.IsNullOrEmpty(Options.Key))
        {
            return Task.FromResult(AuthenticateResult.Fail("No staff key is configured: set Storefront:StaffKey."));
        }

        // Compare hashes so that the comparison takes the same time whatever the key's length and content.
        byte[] expected = SHA256.HashData(Encoding.UTF8.GetBytes(Options.Key));
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return Task.FromResult(AuthenticateResult.Fail("The staff key does not match."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "staff"), new Claim(ClaimTypes.Role, StaffKey.Policy)], StaffKey.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), StaffKey.Scheme)));
    }

}

/// <summary>The staff key's settings.</summary>
internal sealed class StaffKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>Gets or sets the key staff send; null or empty lets no one in.</summary>
    public string? Key { get; set; }
}
