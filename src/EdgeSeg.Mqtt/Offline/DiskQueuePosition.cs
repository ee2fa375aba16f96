namespace EdgeSeg.Mqtt;

/// <summary>A place in a <see cref="DiskQueue"/>: a segment file number and a byte offset in it.</summary>
/// <param name="Segment">Segment number.</param>
/// <param name="Offset">Byte offset inside the segment.</param>
internal readonly record struct DiskQueuePosition(long Segment, long Offset);
