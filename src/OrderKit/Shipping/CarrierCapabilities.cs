namespace OrderKit.Shipping;

/// <summary>What a carrier adapter can do; the methods of <see cref="ICarrierAdapter"/> not covered throw <see cref="NotSupportedException"/>.</summary>
[Flags]
public enum CarrierCapabilities
{
    /// <summary>Nothing beyond recording labels typed in by staff.</summary>
    None = 0,

    /// <summary><see cref="ICarrierAdapter.GetRatesAsync"/> quotes rates.</summary>
    Rates = 1 << 0,

    /// <summary><see cref="ICarrierAdapter.PurchaseLabelAsync"/> buys labels.</summary>
    Labels = 1 << 1,

    /// <summary><see cref="ICarrierAdapter.VoidLabelAsync"/> voids labels not yet used.</summary>
    VoidLabels = 1 << 2,

    /// <summary><see cref="ICarrierAdapter.TrackAsync"/> reports tracking.</summary>
    Tracking = 1 << 3,

    /// <summary><see cref="ICarrierAdapter.ValidateAddressAsync"/> checks addresses.</summary>
    AddressValidation = 1 << 4,

    /// <summary><see cref="ICarrierAdapter.CreateReturnLabelAsync"/> makes labels for the customer to send parcels back.</summary>
    ReturnLabels = 1 << 5,
}
