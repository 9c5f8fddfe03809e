using System.Buffers.Binary;
using System.Text;

namespace HerTools.Build;

/// <summary>
/// Marks one version need of an ELF64 shared library weak (<c>VER_FLG_WEAK</c> in its
/// <c>Elf64_Vernaux</c> entry of <c>.gnu.version_r</c>), so the dynamic loader accepts the library
/// where the needed version is missing. Needs no MSBuild and no tool: it edits two bytes in place.
/// </summary>
/// <remarks>
/// Why: TorchSharp-cpu 0.107's <c>libLibTorchSharp.so</c> needs <c>GLIBCXX_3.4.32</c> (GCC 13)
/// only for <c>std::ios_base_library_init()</c>, a marker nothing calls. Debian 12 and Ubuntu 22.04
/// ship GCC 12's libstdc++ (up to 3.4.30), so <c>dlopen</c> fails there. A weak need is still
/// satisfied as usual where the version exists, so the patched file works everywhere.
/// Layout facts: see <c>shared/specs/torchsharp-native.md</c>; offsets are from the System V gABI.
/// </remarks>
public static class ElfVersionNeedPatcher
{
    /// <summary>The version TorchSharp 0.107's native library needs for its one unused marker symbol.</summary>
    public const string TorchSharpMarkerVersion = "GLIBCXX_3.4.32";

    /// <summary><c>VER_FLG_WEAK</c>: a need the loader may find missing without failing.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint SectionTypeGnuVerneed = 0x6ffffffe;
    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;

    /// <summary>
    /// File offsets of the <c>vna_flags</c> fields of every version need named <paramref name="versionName"/>;
    /// empty when the ELF file has no such need. Returns null when the bytes are not an ELF file.
    /// </summary>
    /// <exception cref="InvalidDataException">An ELF file that is not 64-bit little-endian, or is truncated or inconsistent.</exception>
    public static IReadOnlyList<long>? FindNeedFlagOffsets(ReadOnlySpan<byte> image, string versionName)
    {
        if (image.Length < 4 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            return null;
        if (image.Length < ElfHeaderSize)
            throw new InvalidDataException($"ELF header truncated: {image.Length} bytes.");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException($"Only 64-bit little-endian ELF is supported (class {image[4]}, data {image[5]}).");

        ulong sectionTableOffset = BinaryPrimitives.ReadUInt64LittleEndian(image.Slice(0x28));
        ushort sectionEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(image.Slice(0x3A));
        ulong sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(image.Slice(0x3C));
        var offsets = new List<long>();
        if (sectionTableOffset == 0)
            return offsets; // No section headers: nothing to find them by.
        if (sectionEntrySize < SectionHeaderSize)
            throw new InvalidDataException($"Section header entries of {sectionEntrySize} bytes; Elf64_Shdr needs {SectionHeaderSize}.");
        if (sectionCount == 0)
        {
            // Extended numbering (SHN_UNDEF count): the real count is sh_size of section 0.
            sectionCount = SectionHeader.Read(image, sectionTableOffset, sectionEntrySize, 0).Size;
        }
        CheckRange(image, sectionTableOffset, sectionCount * sectionEntrySize, "section header table");

        byte[] wantedName = Encoding.ASCII.GetBytes(versionName);
        for (ulong index = 0; index < sectionCount; index++)
        {
            SectionHeader section = SectionHeader.Read(image, sectionTableOffset, sectionEntrySize, index);
            if (section.Type != SectionTypeGnuVerneed)
                continue;
            if (section.Link >= sectionCount)
                throw new InvalidDataException($"Version needs section {index} links to string table {section.Link} of {sectionCount}.");
            SectionHeader strings = SectionHeader.Read(image, sectionTableOffset, sectionEntrySize, section.Link);
            CheckRange(image, strings.Offset, strings.Size, "version needs string table");
            CheckRange(image, section.Offset, section.Size, "version needs section");
            CollectMatchingNeeds(image, section, strings, wantedName, offsets);
        }
        return offsets;
    }

    /// <summary>
    /// Marks the need named <paramref name="versionName"/> weak in an in-memory image of the file.
    /// Changes <paramref name="image"/> only when the outcome is <see cref="ElfPatchOutcome.Patched"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">An ELF file that is not 64-bit little-endian, or is truncated or inconsistent.</exception>
    public static ElfPatchOutcome MarkNeedWeak(Span<byte> image, string versionName = TorchSharpMarkerVersion)
    {
        IReadOnlyList<long>? flagOffsets = FindNeedFlagOffsets(image, versionName);
        if (flagOffsets is null)
            return ElfPatchOutcome.NotElf;
        if (flagOffsets.Count == 0)
            return ElfPatchOutcome.NoSuchNeed;

        var outcome = ElfPatchOutcome.AlreadyWeak;
        foreach (long offset in flagOffsets)
        {
            Span<byte> field = image.Slice((int)offset, 2);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(field);
            if ((flags & VerFlagWeak) != 0)
                continue;
            BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)(flags | VerFlagWeak));
            outcome = ElfPatchOutcome.Patched;
        }
        return outcome;
    }

    /// <summary>
    /// Marks the need weak in the file at <paramref name="path"/>. When there is something to change, the
    /// new bytes go to a temporary file beside it that is then renamed over it: a path that is a hard link
    /// into a shared cache gets a new file, and the cached original stays as it was. The file keeps its
    /// last-write time and permissions, so an incremental copy that compares time and size skips it.
    /// </summary>
    /// <exception cref="InvalidDataException">An ELF file that is not 64-bit little-endian, or is truncated or inconsistent.</exception>
    public static ElfPatchOutcome PatchFile(string path, string versionName = TorchSharpMarkerVersion)
    {
        byte[] image = File.ReadAllBytes(path);
        ElfPatchOutcome outcome = MarkNeedWeak(image, versionName);
        if (outcome == ElfPatchOutcome.Patched)
            ReplaceKeepingTimestamp(path, image);
        return outcome;
    }

    private static void CollectMatchingNeeds(
        ReadOnlySpan<byte> image, SectionHeader section, SectionHeader strings, byte[] wantedName, List<long> offsets)
    {
        ulong sectionEnd = section.Offset + section.Size;
        ulong need = section.Offset;
        // sh_info holds the number of Elf64_Verneed records (one per needed file).
        for (uint record = 0; record < section.Info; record++)
        {
            CheckWithin(need, VerneedSize, sectionEnd, "Elf64_Verneed");
            ushort auxCount = BinaryPrimitives.ReadUInt16LittleEndian(image.Slice((int)need + 2));
            uint auxOffset = BinaryPrimitives.ReadUInt32LittleEndian(image.Slice((int)need + 8));
            uint nextNeed = BinaryPrimitives.ReadUInt32LittleEndian(image.Slice((int)need + 12));

            ulong aux = need + auxOffset;
            for (int entry = 0; entry < auxCount; entry++)
            {
                CheckWithin(aux, VernauxSize, sectionEnd, "Elf64_Vernaux");
                uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(image.Slice((int)aux + 8));
                uint nextAux = BinaryPrimitives.ReadUInt32LittleEndian(image.Slice((int)aux + 12));
                if (NameEquals(image, strings, nameOffset, wantedName))
                    offsets.Add((long)aux + 4); // vna_flags follows vna_hash (u32).
                if (nextAux == 0)
                    break;
                aux += nextAux;
            }

            if (nextNeed == 0)
                break;
            need += nextNeed;
        }
    }

    private static bool NameEquals(ReadOnlySpan<byte> image, SectionHeader strings, uint nameOffset, byte[] wantedName)
    {
        if (nameOffset >= strings.Size)
            throw new InvalidDataException($"Version name offset {nameOffset} lies outside the string table ({strings.Size} bytes).");
        ReadOnlySpan<byte> rest = image.Slice((int)(strings.Offset + nameOffset), (int)(strings.Size - nameOffset));
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException($"Version name at string offset {nameOffset} is not terminated.");
        return rest.Slice(0, end).SequenceEqual(wantedName);
    }

    private static void CheckRange(ReadOnlySpan<byte> image, ulong offset, ulong length, string what)
    {
        if (offset > (ulong)image.Length || length > (ulong)image.Length - offset)
            throw new InvalidDataException($"The {what} (offset {offset}, {length} bytes) runs past the end of the file ({image.Length} bytes).");
    }

    private static void CheckWithin(ulong offset, ulong length, ulong end, string what)
    {
        if (offset + length > end)
            throw new InvalidDataException($"An {what} at offset {offset} runs past the end of its section (offset {end}).");
    }

    private static void ReplaceKeepingTimestamp(string path, byte[] image)
    {
        var original = new FileInfo(path);
        DateTime lastWriteUtc = original.LastWriteTimeUtc;
        string temporary = Path.Combine(original.DirectoryName ?? ".", $".{original.Name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                stream.Write(image, 0, image.Length);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            File.SetLastWriteTimeUtc(temporary, lastWriteUtc);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>The fields of one <c>Elf64_Shdr</c> this patcher reads.</summary>
    private readonly record struct SectionHeader(uint Type, ulong Offset, ulong Size, uint Link, uint Info)
    {
        public static SectionHeader Read(ReadOnlySpan<byte> image, ulong tableOffset, ushort entrySize, ulong index)
        {
            ulong start = tableOffset + index * entrySize;
            CheckRange(image, start, SectionHeaderSize, "section header");
            ReadOnlySpan<byte> header = image.Slice((int)start, SectionHeaderSize);
            // name u32, type u32, flags u64, addr u64, offset u64, size u64, link u32, info u32, ...
            return new SectionHeader(
                Type: BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(4)),
                Offset: BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(24)),
                Size: BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(32)),
                Link: BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(40)),
                Info: BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(44)));
        }
    }
}
