using OrderKit.Allocation;
using OrderKit.Orders;
using OrderKit.Tests.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Allocation;

public sealed class AllocationPreferencesTests
{
    [Fact]
    public void Defaults_AreFewestShipments_ShipAvailable_HoldOnShortfall()
    {
        var preferences = new AllocationPreferences();

        Assert.Equal((AllocationStrategy.FewestShipments, SplitPolicy.ShipAvailable, ShortfallAction.Hold, false), (preferences.Strategy, preferences.Split, preferences.OnShortfall, preferences.Explain));
        Assert.Equal(preferences, new OrderKitOptions().Allocation);
    }

    [Fact]
    public async Task Explain_AsksTheServiceForAnExplainedPlan()
    {
        var shop = new OrderServiceTests.Shop();
        await shop.Inventory.ReceiveAsync(Mug, new LocationId("WH-B"), new Quantity(1));
        Order order = await shop.ConfirmedAsync((Mug, 1));

        AllocationResult result = await shop.Orders.AllocateAsync(order.Id, new AllocationPreferences { Strategy = AllocationStrategy.Priority, Explain = true });

        Assert.NotEmpty(result.Plan.Explanation);
    }
}

public sealed class AllocationResultTests
{
    [Fact]
    public async Task CarriesTheStoredOrderAndThePlan()
    {
        var shop = new OrderServiceTests.Shop();
        await shop.Inventory.ReceiveAsync(Mug, new LocationId("WH-A"), new Quantity(1));
        Order order = await shop.ConfirmedAsync((Mug, 1));

        AllocationResult result = await shop.Orders.AllocateAsync(order.Id);

        Assert.False(result.Order.HasUnsavedChanges);
        Assert.Equal((await shop.Orders.GetAsync(order.Id)).Version, result.Order.Version);
        Assert.Empty(result.FromCartHold);
        Assert.StartsWith($"{order.Id} Allocated", result.ToString(), StringComparison.Ordinal);
    }
}
