using OrderKit.Allocation;
using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Allocation;

public sealed class AllocationPlanTests
{
    [Fact]
    public void Plan_ReadsWell_AndReservesNothing()
    {
        InventoryService inventory = Inventory.InventoryServiceTests.NewInventory();
        inventory.Receive(Mug, new LocationId("BER"), new Quantity(1));
        inventory.Receive(Mug, new LocationId("HAM"), new Quantity(1));
        inventory.SetPolicy(Mug, InventoryPolicy.Backorder());

        AllocationPlan plan = inventory.Plan(new AllocationRequest { Lines = [new(Mug, new Quantity(3))], Destination = Berlin, Channel = new SalesChannel("web"), Split = SplitPolicy.ShipComplete });

        Assert.False(plan.IsComplete);
        Assert.True(plan.ShipTogether);
        Assert.Empty(plan.Explanation);
        Assert.Equal("2 shipment(s) from BER, HAM: MUG-RED x3: 1 @ BER, 1 @ HAM; 1 backordered", plan.ToString());
        Assert.Equal(0, inventory.GetLevel(Mug, new LocationId("BER")).Reserved);
    }
}
