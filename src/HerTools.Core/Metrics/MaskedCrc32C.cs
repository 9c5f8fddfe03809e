namespace HerTools.Core.Metrics;

/// <summary>
/// CRC-32C (Castagnoli) with TFRecord's mask, <c>((crc &gt;&gt; 15 | crc &lt;&lt; 17) + 0xa282ead8)</c>: TensorFlow masks
/// the checksums it stores because a CRC computed over data that itself holds CRCs is weak.
/// </summary>
public static class MaskedCrc32C
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The masked CRC-32C of <paramref name="data"/>.</summary>
    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        crc ^= 0xFFFFFFFF;
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78 ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
