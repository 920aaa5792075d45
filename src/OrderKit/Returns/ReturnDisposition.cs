namespace OrderKit.Returns;

/// <summary>What becomes of a returned unit once it arrives; each is a movement in the stock ledger.</summary>
public enum ReturnDisposition
{
    /// <summary>Back on the shelf at a location, for sale again; orders waiting for the SKU there are filled first.</summary>
    Restock = 0,

    /// <summary>Kept apart at a location in its damaged count, not for sale.</summary>
    Quarantine = 1,

    /// <summary>Thrown away or recycled; recorded in the ledger at the receiving location, with no count changed.</summary>
    Dispose = 2,
}
