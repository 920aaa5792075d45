using OrderKit.Allocation;
using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Allocation;

public sealed class PlannedLineTests
{
    [Fact]
    public void UntrackedSku_IsAllocatedWithoutReservation()
    {
        InventoryService inventory = Inventory.InventoryServiceTests.NewInventory();
        inventory.SetPolicy(Cap, InventoryPolicy.Untracked);

        PlannedLine line = inventory.Plan(new AllocationRequest { Lines = [new(Cap, new Quantity(4))], Destination = Berlin, Channel = new SalesChannel("web") }).Lines[0];

        Assert.Equal((4, 0, 0), (line.Allocated, line.Shortfall, line.Refused));
        Assert.Equal([new PlannedSource(new LocationId("BER"), 4, false)], line.Sources);
        Assert.Equal("CAP-ONE x4: 4 @ BER (not counted)", line.ToString());
    }
}
