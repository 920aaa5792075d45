using OrderKit.Allocation;
using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Allocation;

public sealed class AllocationRequestTests
{
    [Fact]
    public void Defaults_AreFewestShipmentsAndShipAvailable()
    {
        var request = new AllocationRequest { Lines = [new(Mug, new Quantity(1))], Destination = Berlin, Channel = new SalesChannel("web") };

        Assert.Equal(AllocationStrategy.FewestShipments, request.Strategy);
        Assert.Same(SplitPolicy.ShipAvailable, request.Split);
        Assert.False(request.Explain);
    }

    [Fact]
    public void CollectAt_MakesThatLocationTheOnlyCandidate()
    {
        InventoryService inventory = Inventory.InventoryServiceTests.NewInventory();
        inventory.UpdateLocation(new StockLocation(new LocationId("HAM"), "Hamburg store", LocationKind.Store) { Rank = 2, OffersClickAndCollect = true });
        inventory.Receive(Mug, new LocationId("BER"), new Quantity(5));
        inventory.Receive(Mug, new LocationId("HAM"), new Quantity(1));

        AllocationPlan plan = inventory.Plan(new AllocationRequest { Lines = [new(Mug, new Quantity(2))], Destination = Berlin, Channel = new SalesChannel("web"), CollectAt = new LocationId("HAM") });

        Assert.Equal([new LocationId("HAM")], plan.Locations);
        Assert.Equal(1, plan.Lines[0].Refused);
    }
}
