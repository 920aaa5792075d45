using OrderKit.Inventory;
using OrderKit.Allocation;

namespace OrderKit.Tests.Allocation;

public sealed class SplitPolicyTests
{
    [Fact]
    public void Policies_DescribeThemselves()
    {
        Assert.Equal("ship available", SplitPolicy.ShipAvailable.ToString());
        Assert.Equal("ship complete", SplitPolicy.ShipComplete.ToString());
        Assert.Equal("at most 2 shipments, lines kept whole", SplitPolicy.AtMost(2).WithoutLineSplits().ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => SplitPolicy.AtMost(0));
    }

    [Fact]
    public void AtMostOne_KeepsTheOrderToOneLocation()
    {
        InventoryService inventory = Tests.Inventory.InventoryServiceTests.NewInventory();
        inventory.Receive(TestValues.Mug, new LocationId("BER"), new Quantity(1));
        inventory.Receive(TestValues.Mug, new LocationId("HAM"), new Quantity(1));

        AllocationPlan plan = inventory.Plan(new AllocationRequest { Lines = [new(TestValues.Mug, new Quantity(2))], Destination = TestValues.Berlin, Channel = new SalesChannel("web"), Split = SplitPolicy.AtMost(1) });

        Assert.Equal(1, plan.ShipmentCount);
        Assert.Equal(1, plan.Lines[0].Refused);
    }
}
