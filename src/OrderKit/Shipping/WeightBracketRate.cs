namespace OrderKit.Shipping;

/// <summary>A row of a <see cref="TableRateCarrier"/>'s rate table: the price of a parcel up to a weight, for a service, in a zone.</summary>
/// <param name="Service">The service, such as <c>standard</c>.</param>
/// <param name="Zone">The zone, as named in the zone table.</param>
/// <param name="MaxWeightKg">The heaviest parcel the row prices, in kilograms; a parcel takes the lightest bracket it fits.</param>
/// <param name="Price">The price per parcel.</param>
/// <param name="TransitDays">The working days in transit.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record WeightBracketRate(string Service, string Zone, decimal MaxWeightKg, Money Price, int TransitDays);
