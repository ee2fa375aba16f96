namespace EdgeSeg.Core.Classes;

/// <summary>The classes every EdgeSeg mask is expressed in. The numeric values are the mask's pixel values.</summary>
public enum ApplianceClass : byte
{
    /// <summary>Everything that is none of the other classes.</summary>
    Background = 0,

    /// <summary>Drivable road surface.</summary>
    Road = 1,

    /// <summary>Cars, trucks, buses, motorcycles and bicycles with their riders.</summary>
    Vehicle = 2,

    /// <summary>People on foot.</summary>
    Pedestrian = 3,

    /// <summary>Painted lane markings on the road.</summary>
    LaneMarking = 4,
}
