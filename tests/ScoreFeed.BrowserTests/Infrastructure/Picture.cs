using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Playwright;

namespace ScoreFeed.BrowserTests.Infrastructure;

/// <summary>
/// A screenshot's pixels, decoded from the PNG that Chromium writes (8-bit RGB or RGBA, not interlaced), so a test can
/// say what the picture shows: which colour fills an element.
/// </summary>
internal sealed class Picture
{
    private readonly byte[] _pixels;
    private readonly int _channels;

    private Picture(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        _channels = channels;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The colour at a pixel as <c>#rrggbb</c>.</summary>
    public string ColourAt(int x, int y)
    {
        Assert.InRange(x, 0, Width - 1);
        Assert.InRange(y, 0, Height - 1);
        var at = (y * Width + x) * _channels;
        return $"#{_pixels[at]:x2}{_pixels[at + 1]:x2}{_pixels[at + 2]:x2}";
    }

    /// <summary>
    /// The colour that fills <paramref name="element"/>: read 4 px in from its left edge and 24 px down (halfway down a
    /// smaller one), which is in its left padding, clear of text and rounded corners, for every element the tests ask
    /// about. The page must not have scrolled.
    /// </summary>
    public async Task<string> FillOfAsync(ILocator element)
    {
        var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException($"{element} is not shown");
        return ColourAt((int)Math.Round(box.X) + 4, (int)Math.Round(box.Y + Math.Min(box.Height / 2, 24)));
    }

    public static Picture Decode(byte[] png)
    {
        var span = png.AsSpan();
        Assert.True(span[..8].SequenceEqual<byte>([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG");
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var at = 8; at < span.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(span[at..]);
            var type = System.Text.Encoding.ASCII.GetString(span.Slice(at + 4, 4));
            var data = span.Slice(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]); // bit depth
                channels = data[9] switch { 2 => 3, 6 => 4, var other => throw new NotSupportedException($"PNG colour type {other}") };
                Assert.Equal(0, data[12]); // not interlaced
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }
            at += 12 + length;
        }
        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }
        return new Picture(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
    }

    /// <summary>Undoes each row's PNG filter (none, sub, up, average, Paeth).</summary>
    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        var stride = width * channels;
        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var source = y * (stride + 1) + 1;
            var row = y * stride;
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? pixels[row + i - channels] : 0;
                int up = y > 0 ? pixels[row - stride + i] : 0;
                int upLeft = y > 0 && i >= channels ? pixels[row - stride + i - channels] : 0;
                var predicted = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                };
                pixels[row + i] = (byte)(raw[source + i] + predicted);
            }
        }
        return pixels;
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var p = left + up - upLeft;
        var (pa, pb, pc) = (Math.Abs(p - left), Math.Abs(p - up), Math.Abs(p - upLeft));
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
}
