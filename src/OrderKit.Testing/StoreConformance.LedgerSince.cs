using NodaTime;
using OrderKit.Inventory;
using static OrderKit.Testing.Shop;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>
    /// A SKU's recent movements (<see cref="Persistence.IInventoryRepository.ReadLedgerSinceAsync"/>) are exactly the
    /// ledger's movements of that SKU at or after the moment, at every location, oldest first: after a long history, and
    /// with movements committed out of the order of their moments by less than the hour a store may allow for.
    /// </summary>
    private static async Task LedgerSinceAMomentAsync(Shop shop)
    {
        Instant since = Instant.FromUtc(2026, 11, 2, 9, 0);
        shop.Clock.Reset(since - Duration.FromDays(3));

        // Three days of history, a movement every ten minutes, at both locations and for another SKU.
        for (int i = 0; i < 432; i++)
        {
            await shop.Inventory.ReceiveAsync(i % 3 == 2 ? Tee : Mug, i % 2 == 0 ? A : B, new Quantity(1), $"PO-{i}", shop.Token).ConfigureAwait(false);
            shop.Clock.Advance(Duration.FromMinutes(10));
        }

        // At the moment itself, then later; then one whose clock read 5 minutes after it, committed after one at 10,
        // and one from half an hour before, committed last.
        shop.Clock.Reset(since);
        await shop.Inventory.ReceiveAsync(Mug, B, new Quantity(2), "at", shop.Token).ConfigureAwait(false);
        shop.Clock.Reset(since + Duration.FromMinutes(10));
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(3), "ten", shop.Token).ConfigureAwait(false);
        shop.Clock.Reset(since + Duration.FromMinutes(5));
        await shop.Inventory.TransferAsync(Mug, A, B, new Quantity(1), cancellationToken: shop.Token).ConfigureAwait(false);
        shop.Clock.Reset(since - Duration.FromMinutes(30));
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(4), "late", shop.Token).ConfigureAwait(false);

        IReadOnlyList<StockMovement> all = await shop.Inventory.GetLedgerAsync(Mug, shop.Token).ConfigureAwait(false);
        IReadOnlyList<StockMovement> recent = await shop.Inventory.GetLedgerSinceAsync(Mug, since, shop.Token).ConfigureAwait(false);
        string expected = string.Join(",", all.Where(m => m.OccurredAt >= since).Select(Describe));
        shop.ExpectEqual(expected, string.Join(",", recent.Select(Describe)), "a SKU's movements at or after a moment, oldest first");
        shop.ExpectEqual(4, recent.Count, "the number of a SKU's movements at or after a moment (the receipt at the moment, one ten minutes on, and a transfer's two legs)");

        IReadOnlyList<StockMovement> later = await shop.Inventory.GetLedgerSinceAsync(Mug, since + Duration.FromHours(1), shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(0, later.Count, "a SKU's movements after its last one");
        IReadOnlyList<StockMovement> whole = await shop.Inventory.GetLedgerSinceAsync(Mug, since - Duration.FromDays(4), shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(string.Join(",", all.Select(Describe)), string.Join(",", whole.Select(Describe)), "a SKU's movements since before its first one");
        IReadOnlyList<StockMovement> ever = await shop.Inventory.GetLedgerSinceAsync(Mug, Instant.MinValue, shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(all.Count, ever.Count, "a SKU's movements since the earliest instant");
        IReadOnlyList<StockMovement> unknown = await shop.Inventory.GetLedgerSinceAsync(new Sku("NEVER-SEEN"), since, shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(0, unknown.Count, "the movements of a SKU the store has never seen");
    }

    private static string Describe(StockMovement m) => $"{m.Sequence}:{m.Kind}@{m.Location}x{m.Quantity}";
}
