namespace EdgeSeg.Scene.Events;

/// <summary>Where an event is in its life: every event has one start, any number of updates and one end.</summary>
public enum SceneEventPhase
{
    /// <summary>The event began (wire name <c>start</c>).</summary>
    Start = 0,

    /// <summary>The event is still active (wire name <c>update</c>), sent at the configured interval.</summary>
    Update = 1,

    /// <summary>The event is over (wire name <c>end</c>).</summary>
    End = 2,
}
