namespace EdgeSeg.Trainer.Training;

/// <summary>The network <c>edgeseg-train train</c> trains (<c>--encoder</c>).</summary>
internal enum EncoderKind
{
    /// <summary>The plain U-Net (<c>--depth</c>, <c>--width</c>), learned from scratch.</summary>
    UNet,

    /// <summary>A U-Net with a ResNet-18 encoder (<c>--pretrained imagenet</c> loads ImageNet weights into it).</summary>
    ResNet18,
}
