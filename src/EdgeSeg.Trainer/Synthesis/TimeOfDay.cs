namespace EdgeSeg.Trainer.Synthesis;

/// <summary>The lighting a scene is rendered under.</summary>
internal enum TimeOfDay
{
    /// <summary>Low warm sun, long shadows, pink-orange sky.</summary>
    Dawn,

    /// <summary>High sun, short hard shadows, blue sky.</summary>
    Noon,

    /// <summary>Flat grey light, soft contact shadows only.</summary>
    Overcast,

    /// <summary>Low sun after sunset colours, dark and blue-orange.</summary>
    Dusk,
}
