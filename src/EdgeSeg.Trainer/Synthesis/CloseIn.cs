namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// The close-in of a synthetic drive: a slower car appears ahead in the ego lane (<see cref="StartFrame"/>), the ego car
/// closes on it at <see cref="ClosingSpeed"/> until the gap is smallest (<see cref="ClosestFrame"/>,
/// <see cref="MinGapMetres"/>), then it pulls away until it is as far as it began (<see cref="EndFrame"/>).
/// </summary>
internal sealed record CloseIn(int StartFrame, int ClosestFrame, int EndFrame, float MinGapMetres, float ClosingSpeed);
