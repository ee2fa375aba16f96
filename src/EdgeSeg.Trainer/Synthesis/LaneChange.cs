namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// One lane change of the ego car in a synthetic drive: the frames from the first lateral movement to the last
/// (inclusive), the first frame on which the camera is past the lane boundary, the lanes (0 = leftmost) and the
/// direction ("left" or "right").
/// </summary>
internal sealed record LaneChange(int StartFrame, int EndFrame, int CrossingFrame, int FromLane, int ToLane, string Direction);
