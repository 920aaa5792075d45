using System.Globalization;
using OrderKit.Inventory;

namespace OrderKit.Benchmarks.Allocation;

/// <summary>
/// Measures the managed memory of the in-memory stock index for 1 000 000 SKUs over 50 locations: the SKU map, the rows
/// and their cells, with every SKU stocked at 10 of the 50 locations (sparse) and at all 50 (dense).
/// </summary>
internal static class IndexMemory
{
    public static void Run()
    {
        foreach (int stockedLocations in new[] { 10, 50 })
        {
            long bytes = Measure(stockedLocations);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index-memory skus=1000000 locations=50 stocked_per_sku={stockedLocations} managed_mb={bytes / 1024.0 / 1024.0:F1} bytes_per_sku={bytes / 1_000_000.0:F0}"));
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static long Measure(int stockedLocations)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        StockIndex index = Build(1_000_000, 50, stockedLocations);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(index);
        return after - before;
    }

    private static StockIndex Build(int skus, int locations, int stockedLocations)
    {
        var index = new StockIndex();
        for (int k = 0; k < locations; k++)
        {
            index.PutLocation(new StockLocation(new LocationId($"WH-{k:D3}"), $"WH-{k:D3}"), mustExist: false);
        }

        var random = new Random(42);
        int[] order = [.. Enumerable.Range(0, locations)];
        for (int s = 0; s < skus; s++)
        {
            StockIndex.SkuRow row = index.Row(new Sku($"SKU-{s:D7}"));
            random.Shuffle(order);
            for (int j = 0; j < stockedLocations; j++)
            {
                ref StockIndex.StockCell cell = ref row.Cell(order[j]);
                cell.OnHand = cell.Available = random.Next(1, 100);
            }
        }

        return index;
    }
}
