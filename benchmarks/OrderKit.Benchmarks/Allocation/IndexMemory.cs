using System.Globalization;
using OrderKit.Inventory;

namespace OrderKit.Benchmarks.Allocation;

/// <summary>
/// Measures the managed memory of the in-memory stock index for 1 000 000 SKUs over 50 locations, with every SKU stocked
/// at 10 of the 50 locations (sparse) and at all 50 (dense): the whole index (the SKU map, the rows, their books), and
/// within it the availability slab and summary masks that allocation reads and reserves against.
/// </summary>
internal static class IndexMemory
{
    public static void Run()
    {
        foreach (int stockedLocations in new[] { 10, 50 })
        {
            (long bytes, long slab) = Measure(stockedLocations);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index-memory skus=1000000 locations=50 stocked_per_sku={stockedLocations} managed_mb={Mb(bytes):F1} availability_mb={Mb(slab):F1} books_and_map_mb={Mb(bytes - slab):F1} bytes_per_sku={bytes / 1_000_000.0:F0}"));
        }
    }

    private static double Mb(long bytes) => bytes / 1024.0 / 1024.0;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (long Total, long Availability) Measure(int stockedLocations)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        StockIndex index = Build(1_000_000, 50, stockedLocations);
        long after = GC.GetTotalMemory(forceFullCollection: true);

        // The slab and the masks: their pages' payload and array headers, and the arrays of pages.
        long availability = 0;
        foreach (int[][] block in index.AvailableBlocks)
        {
            availability += ArrayBytes(block.Length, 8) + block.Sum(page => ArrayBytes(page.Length, 4));
        }

        foreach (ulong[][] word in index.MaskBlocks)
        {
            availability += ArrayBytes(word.Length, 8) + word.Sum(page => ArrayBytes(page.Length, 8));
        }

        GC.KeepAlive(index);
        return (after - before, availability);
    }

    private static long ArrayBytes(int length, int elementSize) => 24 + ((long)length * elementSize);

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
                int units = random.Next(1, 100);
                row.Cell(order[j]).OnHand = units;
                row.AddAvailable(order[j], units);
            }
        }

        return index;
    }
}
