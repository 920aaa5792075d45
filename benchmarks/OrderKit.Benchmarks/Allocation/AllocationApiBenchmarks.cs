using NodaTime;
using NodaTime.Testing;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit.Benchmarks.Allocation;

/// <summary>
/// The whole public dry run, <see cref="InventoryService.PlanAsync"/> on the in-memory store (unit of work, candidate
/// filters, ranking, the engine, shortfall policies and the <see cref="AllocationPlan"/> object), against the naive
/// baseline planning the same order over the same stock.
/// </summary>
[MemoryDiagnoser]
public class AllocationApiBenchmarks
{
    private AllocationFixture _fixture = null!;
    private BenchOrder _order = null!;
    private InventoryService _inventory = null!;
    private AllocationRequest _request = null!;

    [Params("5x20", "20x100")]
    public string Shape { get; set; } = "5x20";

    [GlobalSetup]
    public void Setup()
    {
        int lines = int.Parse(Shape.Split('x')[0], System.Globalization.CultureInfo.InvariantCulture);
        int locations = int.Parse(Shape.Split('x')[1], System.Globalization.CultureInfo.InvariantCulture);
        _fixture = new AllocationFixture(skus: 10_000, locations);
        _order = _fixture.Orders(1, lines, r => r.Next(10_000))[0];

        var clock = new FakeClock(Instant.FromUtc(2026, 11, 22, 9, 0));
        var store = new InMemoryOrderKitStore(clock);
        _inventory = new InventoryService(store, clock, new OrderKitOptions());
        for (int k = 0; k < locations; k++)
        {
            _inventory.AddLocationAsync(new StockLocation(new LocationId($"WH-{k:D3}"), $"WH-{k:D3}") { Rank = k }).GetAwaiter().GetResult();
        }

        foreach (StockIndex.SkuRow row in _order.Rows)
        {
            for (int k = 0; k < locations; k++)
            {
                int units = row.Available(k);
                if (units > 0)
                {
                    _inventory.ReceiveAsync(row.Sku, new LocationId($"WH-{k:D3}"), new Quantity(units)).GetAwaiter().GetResult();
                }
            }

            _inventory.SetPolicyAsync(row.Sku, InventoryPolicy.DenyWhenShort).GetAwaiter().GetResult();
        }

        _request = new AllocationRequest
        {
            Lines = [.. _order.Rows.Select((r, i) => new LineQuantity(r.Sku, new Quantity(_order.Quantities[i])))],
            Destination = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
            Channel = new SalesChannel("web"),
        };
    }

    [Benchmark(Baseline = true)]
    public int NaivePlan() => _fixture.Naive.Plan(_order.Naive).Allocations.Count;

    [Benchmark]
    public int PlanAsync() => _inventory.PlanAsync(_request).GetAwaiter().GetResult().ShipmentCount;
}
