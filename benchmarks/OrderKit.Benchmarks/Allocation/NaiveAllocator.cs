namespace OrderKit.Benchmarks.Allocation;

/// <summary>
/// The baseline: what a straightforward port of a per-line greedy allocator (Saleor's sorting order, Magento's
/// priority selection) to LINQ looks like. Stock is a dictionary of lists of records keyed by SKU string; each line
/// filters and sorts its records, and a single global lock guards check-and-reserve.
/// </summary>
internal sealed class NaiveAllocator
{
    private readonly Dictionary<string, List<StockRecord>> _stock = [];
    private readonly Lock _lock = new();

    public void Add(string sku, string location, int onHand, int priority, double distance)
    {
        if (!_stock.TryGetValue(sku, out List<StockRecord>? records))
        {
            _stock[sku] = records = [];
        }

        records.Add(new StockRecord { Sku = sku, Location = location, OnHand = onHand, Priority = priority, Distance = distance });
    }

    /// <summary>Plans each line over its SKU's records with stock, best priority first.</summary>
    public NaiveResult Plan(NaiveLine[] lines)
    {
        var result = new NaiveResult();
        foreach (NaiveLine line in lines)
        {
            List<StockRecord> candidates = _stock.TryGetValue(line.Sku, out List<StockRecord>? records)
                ? records.Where(r => r.OnHand - r.Reserved > 0).OrderBy(r => r.Priority).ToList()
                : [];
            int remaining = line.Quantity;
            foreach (StockRecord record in candidates)
            {
                if (remaining == 0)
                {
                    break;
                }

                int take = Math.Min(record.OnHand - record.Reserved, remaining);
                result.Allocations.Add(new AllocationRecord(line.Sku, record.Location, take));
                remaining -= take;
            }

            if (remaining > 0)
            {
                result.Backorders[line.Sku] = remaining;
            }
        }

        return result;
    }

    /// <summary>Plans and reserves under the global lock.</summary>
    public NaiveResult PlanAndReserve(NaiveLine[] lines)
    {
        lock (_lock)
        {
            NaiveResult result = Plan(lines);
            foreach (AllocationRecord allocation in result.Allocations)
            {
                _stock[allocation.Sku].First(r => r.Location == allocation.Location).Reserved += allocation.Quantity;
            }

            return result;
        }
    }

    /// <summary>Gives a result's units back under the global lock.</summary>
    public void Release(NaiveResult result)
    {
        lock (_lock)
        {
            foreach (AllocationRecord allocation in result.Allocations)
            {
                _stock[allocation.Sku].First(r => r.Location == allocation.Location).Reserved -= allocation.Quantity;
            }
        }
    }

    /// <summary>Sums reserved units over every record, for checking that releases gave everything back.</summary>
    public long TotalReserved()
    {
        lock (_lock)
        {
            return _stock.Values.Sum(records => records.Sum(r => (long)r.Reserved));
        }
    }
}

internal sealed class StockRecord
{
    public required string Sku { get; init; }

    public required string Location { get; init; }

    public int OnHand { get; set; }

    public int Reserved { get; set; }

    public int Priority { get; init; }

    public double Distance { get; init; }
}

internal sealed record AllocationRecord(string Sku, string Location, int Quantity);

internal sealed record NaiveLine(string Sku, int Quantity);

internal sealed class NaiveResult
{
    public List<AllocationRecord> Allocations { get; } = [];

    public Dictionary<string, int> Backorders { get; } = [];
}
