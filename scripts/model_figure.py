#!/usr/bin/env python3
"""Side-by-side figure of models on one frame of the bundled synthetic drive (samples/drive.mp4).

Panels: the frame, its exact mask (from samples/drive/masks), then each model's overlay as `edgeseg infer` draws it,
each with its caption. Used for the figures in models/README.md:

    python3 scripts/model_figure.py --frame 150 --out models/figures/drive-150.jpg \
        models/default.onnx "default.onnx (ResNet-18 U-Net)" models/unet.onnx "unet.onnx (U-Net)"

Needs ffmpeg, python3-numpy and python3-pil, and a built bin/edgeseg (make setup).
"""
import argparse
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont
except ImportError as e:
    sys.exit(f"model_figure.py: {e.name} is missing: sudo apt-get install python3-numpy python3-pil")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The class colours of the README and of edgeseg's overlays (RGB), by class index.
PALETTE = np.array([[0, 0, 0], [0x80, 0x40, 0x80], [0x00, 0x00, 0xE6], [0xDC, 0x14, 0x3C], [0xFF, 0xD7, 0x00]], dtype=np.float32)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def caption(image, text):
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 18) if os.path.exists(FONT) else ImageFont.load_default()
    box = draw.textbbox((0, 0), text, font=font)
    x, y = image.width - (box[2] - box[0]) - 14, image.height - (box[3] - box[1]) - 14
    draw.rectangle((x - 6, y - 4, image.width - 8, image.height - 6), fill=(0, 0, 0))
    draw.text((x, y - box[1]), text, fill=(255, 255, 255), font=font)
    return image


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frame", type=int, required=True, help="frame index in samples/drive.mp4")
    parser.add_argument("--out", required=True, help="the figure (.jpg or .png)")
    parser.add_argument("--columns", type=int, default=2, help="panels per row")
    parser.add_argument("models", nargs="+", help="pairs: MODEL.onnx CAPTION")
    args = parser.parse_args()
    if len(args.models) % 2:
        parser.error("models come in pairs: MODEL.onnx CAPTION")

    with tempfile.TemporaryDirectory() as tmp:
        frame_path = os.path.join(tmp, f"drive-{args.frame}.png")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", os.path.join(ROOT, "samples", "drive.mp4"),
                        "-vf", f"select=eq(n\\,{args.frame})", "-vframes", "1", frame_path], check=True)
        frame = Image.open(frame_path).convert("RGB")
        truth = np.array(Image.open(os.path.join(ROOT, "samples", "drive", "masks", f"{args.frame:06d}.png")))
        pixels = np.asarray(frame, dtype=np.float32)
        blended = np.where((truth > 0)[..., None], 0.5 * pixels + 0.5 * PALETTE[truth], pixels)
        panels = [caption(frame, f"frame {args.frame}"), caption(Image.fromarray(blended.astype(np.uint8)), "exact mask")]
        for i in range(0, len(args.models), 2):
            model, text = args.models[i], args.models[i + 1]
            out = os.path.join(tmp, str(i))
            subprocess.run([os.path.join(ROOT, "bin", "edgeseg"), "infer", "--model", model, "--input", frame_path,
                            "--out", out, "--providers", "cpu"], check=True, stdout=subprocess.DEVNULL)
            panels.append(caption(Image.open(os.path.join(out, f"drive-{args.frame}.overlay.png")).convert("RGB"), text))

    w, h = frame.size
    rows = (len(panels) + args.columns - 1) // args.columns
    sheet = Image.new("RGB", (w * args.columns, h * rows), (255, 255, 255))
    for i, panel in enumerate(panels):
        sheet.paste(panel, ((i % args.columns) * w, (i // args.columns) * h))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    sheet.save(args.out, quality=88) if args.out.lower().endswith((".jpg", ".jpeg")) else sheet.save(args.out)
    print(f"{args.out}: {sheet.width}x{sheet.height}, {len(panels)} panels")


if __name__ == "__main__":
    main()
