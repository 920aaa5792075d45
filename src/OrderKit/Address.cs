using OrderKit.Internal;

namespace OrderKit;

/// <summary>A postal address: where an order ships to or is billed to.</summary>
/// <remarks>
/// <para>Every property is validated when it is set, including through a <c>with</c> expression, so an address is
/// always valid: the recipient, first line, city and country are required; the country is an ISO 3166-1 alpha-2
/// code in upper case (<c>DE</c>, <c>US</c>); no field is longer than 200 characters.</para>
/// <para><see cref="ToString"/> prints only the city, postal code and country, never the recipient or the street,
/// so that addresses can appear in logs without personal data.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record Address
{
    private const int MaxFieldLength = 200;

    /// <summary>Creates an address.</summary>
    /// <param name="recipient">The person or company to deliver to.</param>
    /// <param name="line1">The first address line: street and number.</param>
    /// <param name="city">The city or town.</param>
    /// <param name="postalCode">The postal code, or null where the country has none.</param>
    /// <param name="countryCode">The ISO 3166-1 alpha-2 country code in upper case, such as <c>DE</c>.</param>
    /// <exception cref="ArgumentException">A field is blank, too long, or the country code is not two upper-case letters.</exception>
    public Address(string recipient, string line1, string city, string? postalCode, string countryCode)
    {
        Recipient = recipient;
        Line1 = line1;
        City = city;
        PostalCode = postalCode;
        CountryCode = countryCode;
    }

    /// <summary>Gets the person or company to deliver to.</summary>
    public string Recipient { get; init => field = Text.Required(value, nameof(Recipient), MaxFieldLength); }

    /// <summary>Gets the first address line: street and number.</summary>
    public string Line1 { get; init => field = Text.Required(value, nameof(Line1), MaxFieldLength); }

    /// <summary>Gets the second address line, if any: apartment, floor, company department.</summary>
    public string? Line2 { get; init => field = Text.Optional(value, nameof(Line2), MaxFieldLength); }

    /// <summary>Gets the city or town.</summary>
    public string City { get; init => field = Text.Required(value, nameof(City), MaxFieldLength); }

    /// <summary>Gets the region, state or province, if the country uses one.</summary>
    public string? Region { get; init => field = Text.Optional(value, nameof(Region), MaxFieldLength); }

    /// <summary>Gets the postal code, or null where the country has none.</summary>
    public string? PostalCode { get; init => field = Text.Optional(value, nameof(PostalCode), MaxFieldLength); }

    /// <summary>Gets the ISO 3166-1 alpha-2 country code in upper case, such as <c>DE</c>.</summary>
    public string CountryCode { get; init => field = CheckCountry(value, nameof(CountryCode)); }

    /// <summary>Gets the recipient's phone number, if given, for the carrier.</summary>
    public string? Phone { get; init => field = Text.Optional(value, nameof(Phone), MaxFieldLength); }

    /// <summary>Returns the city, postal code and country, such as <c>Berlin 10115 DE</c>; no personal data.</summary>
    /// <returns>The address's location as text.</returns>
    public override string ToString() => PostalCode is null ? $"{City} {CountryCode}" : $"{City} {PostalCode} {CountryCode}";

    private static string CheckCountry(string? value, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{paramName} is required.");
        }

        if (value.Length != 2 || !char.IsAsciiLetterUpper(value[0]) || !char.IsAsciiLetterUpper(value[1]))
        {
            throw new ArgumentException($"{paramName} must be an ISO 3166-1 alpha-2 code of two upper-case letters, such as \"DE\"; got {Text.Quote(value)}.", paramName);
        }

        return value;
    }
}
