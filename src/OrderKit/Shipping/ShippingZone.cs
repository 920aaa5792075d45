namespace OrderKit.Shipping;

/// <summary>A row of a <see cref="TableRateCarrier"/>'s zone table: destinations in a country, or in part of it by postal prefix, belong to a zone.</summary>
/// <param name="Zone">The zone's name, such as <c>domestic</c> or <c>eu-1</c>.</param>
/// <param name="CountryCode">The ISO country code.</param>
/// <param name="PostalPrefix">The start of the postal codes the row covers; null or empty for the whole country. The longest matching prefix wins.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ShippingZone(string Zone, string CountryCode, string? PostalPrefix = null);
