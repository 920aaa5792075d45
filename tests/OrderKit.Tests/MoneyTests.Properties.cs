using OrderKit.Tests.Generators;

namespace OrderKit.Tests;

public sealed partial class MoneyTests
{
    [Property(MaxTest = 2_000)]
    public Property Allocate_PartsSumExactlyAndStayWithinOneMinorUnit() =>
        Prop.ForAll(
            Arb.From(OrderKitArbitraries.MoneyGen.SelectMany(m => OrderKitArbitraries.WeightsGen.Select(w => (Money: m, Weights: w)))),
            input =>
            {
                Money[] parts = input.Money.Allocate(input.Weights);
                Money sum = parts.Aggregate(Money.Zero(input.Money.Currency), (a, b) => a + b);
                decimal totalWeight = input.Weights.Sum();
                long units = input.Money.ToMinorUnits();
                bool withinOne = parts.Select((p, i) => Math.Abs(p.ToMinorUnits() - (units * input.Weights[i] / totalWeight)) < 1m).All(x => x);
                bool zeroWeightGetsZero = parts.Where((p, i) => input.Weights[i] == 0m).All(p => p.IsZero);
                return sum == input.Money && parts.Length == input.Weights.Length && withinOne && zeroWeightGetsZero;
            });

    [Property(MaxTest = 1_000)]
    public Property EqualityAndOrdering_FollowTheLaws() =>
        Prop.ForAll(
            Arb.From(OrderKitArbitraries.MoneyPairGen),
            pair => EqualityLaws.Hold(pair.Left, pair.Right, (a, b) => a == b, (a, b) => a != b)
                && EqualityLaws.OrderingHolds(pair.Left, pair.Right)
                && (pair.Left + pair.Right) - pair.Right == pair.Left
                && (pair.Left <= pair.Right) == (pair.Left.Amount <= pair.Right.Amount));

    [Property(MaxTest = 500)]
    public Property Equality_DiffersAcrossCurrencies() =>
        Prop.ForAll(
            Arb.From(OrderKitArbitraries.MoneyGen.Two()),
            pair => pair.Item1.Currency == pair.Item2.Currency || pair.Item1 != pair.Item2);
}
