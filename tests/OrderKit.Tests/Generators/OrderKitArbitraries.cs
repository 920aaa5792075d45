namespace OrderKit.Tests.Generators;

/// <summary>Generators for OrderKit's values, constrained to valid ranges.</summary>
public static class OrderKitArbitraries
{
    private static readonly string[] s_currencyCodes = ["USD", "EUR", "JPY", "KWD", "GBP", "CLF"];

    public static Gen<Currency> CurrencyGen => Gen.Elements(s_currencyCodes).Select(Currency.FromCode);

    public static Gen<Money> MoneyIn(Currency currency) =>
        Gen.Choose(-1_000_000, 1_000_000).Select(units => Money.FromMinorUnits(units, currency));

    public static Gen<Money> MoneyGen => CurrencyGen.SelectMany(MoneyIn);

    public static Gen<(Money Left, Money Right)> MoneyPairGen =>
        CurrencyGen.SelectMany(c => MoneyIn(c).SelectMany(a => MoneyIn(c).Select(b => (a, b))));

    public static Gen<decimal[]> WeightsGen =>
        Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 1000).Select(w => (decimal)w), n))
            .Where(ws => ws.Sum() > 0m);

    public static Gen<Quantity> QuantityGen => Gen.Choose(1, 10_000).Select(v => new Quantity(v));

    public static Gen<Sku> SkuGen => Gen.Elements("A", "B", "MUG-RED", "mug-red", "Z9", "SKU-1000").Select(s => new Sku(s));
}
