namespace OrderKit.Inventory;

/// <summary>The stock of one SKU at one location, as it stands.</summary>
/// <remarks>
/// <para><see cref="OnHand"/> counts the sellable units on the shelf, reserved ones included; damaged and quarantined
/// units are counted apart in <see cref="Damaged"/>. <see cref="Available"/> = <see cref="OnHand"/> −
/// <see cref="Reserved"/> − <see cref="SafetyStock"/>, never below zero.</para>
/// <para>Thread safety: immutable and thread-safe; a reading taken at one moment.</para>
/// </remarks>
/// <param name="Sku">The SKU.</param>
/// <param name="Location">The location.</param>
/// <param name="OnHand">Sellable units at the location, reserved ones included.</param>
/// <param name="Reserved">Units reserved for orders and carts, not yet shipped.</param>
/// <param name="SafetyStock">Units kept back from sale.</param>
/// <param name="Damaged">Damaged or quarantined units, not sellable.</param>
/// <param name="Incoming">Stock expected to arrive, earliest first.</param>
public sealed record StockLevel(Sku Sku, LocationId Location, int OnHand, int Reserved, int SafetyStock, int Damaged, IReadOnlyList<IncomingStock> Incoming)
{
    /// <summary>Gets the units that can be sold now: on hand minus reserved minus safety stock, never below zero.</summary>
    public int Available => Math.Max(0, OnHand - Reserved - SafetyStock);

    /// <summary>Gets the units expected to arrive, in all.</summary>
    public int IncomingTotal => Incoming.Sum(i => i.Quantity);

    /// <summary>Returns the level as text, such as <c>MUG-RED @ BER: 7 available (10 on hand, 2 reserved, 1 safety)</c>.</summary>
    /// <returns>The level as text.</returns>
    public override string ToString() =>
        $"{Sku} @ {Location}: {Available} available ({OnHand} on hand, {Reserved} reserved, {SafetyStock} safety, {Damaged} damaged, {IncomingTotal} incoming)";
}
