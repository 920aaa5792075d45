using OrderKit.Internal;

namespace OrderKit.Inventory;

/// <summary>Where a location ships to: a country, optionally narrowed to postal codes starting with a prefix.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ShippingRegion
{
    /// <summary>Creates a region.</summary>
    /// <param name="countryCode">The ISO 3166-1 alpha-2 country code, such as <c>DE</c>.</param>
    /// <param name="postalPrefix">A postal code prefix, such as <c>10</c>; null for the whole country.</param>
    /// <exception cref="ArgumentException">The country code is not two letters, or the prefix is blank or longer than 10 characters.</exception>
    public ShippingRegion(string countryCode, string? postalPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(countryCode);
        if (countryCode.Length != 2 || !char.IsAsciiLetter(countryCode[0]) || !char.IsAsciiLetter(countryCode[1]))
        {
            throw new ArgumentException($"{nameof(countryCode)} must be an ISO 3166-1 alpha-2 code such as \"DE\"; got \"{countryCode}\".", nameof(countryCode));
        }

        CountryCode = countryCode.ToUpperInvariant();
        PostalPrefix = postalPrefix is null ? null : Text.Identifier(postalPrefix, nameof(postalPrefix), 10);
    }

    /// <summary>Gets the country code, upper case.</summary>
    public string CountryCode { get; }

    /// <summary>Gets the postal code prefix, or null for the whole country.</summary>
    public string? PostalPrefix { get; }

    /// <summary>Returns whether an address lies in the region.</summary>
    /// <param name="address">The address.</param>
    /// <returns>Whether the country matches and, when the region has a prefix, the postal code starts with it.</returns>
    public bool Covers(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return string.Equals(address.CountryCode, CountryCode, StringComparison.OrdinalIgnoreCase)
            && (PostalPrefix is null || (address.PostalCode?.StartsWith(PostalPrefix, StringComparison.OrdinalIgnoreCase) ?? false));
    }

    /// <summary>Returns the region as <c>DE</c> or <c>DE-10*</c>.</summary>
    /// <returns>The region as text.</returns>
    public override string ToString() => PostalPrefix is null ? CountryCode : $"{CountryCode}-{PostalPrefix}*";
}
