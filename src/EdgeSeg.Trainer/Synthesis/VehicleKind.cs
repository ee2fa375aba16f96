namespace EdgeSeg.Trainer.Synthesis;

/// <summary>Vehicle body shapes the generator draws.</summary>
internal enum VehicleKind
{
    Sedan,
    Hatchback,
    Suv,
    Van,
    Truck,
    Bus,
    Motorcycle,
}
