using HerTools.Build;

namespace HerTools.Core.Tests.Build;

public sealed class ElfVersionNeedPatcherTests
{
    private const string Need = ElfVersionNeedPatcher.TorchSharpMarkerVersion;

    [Fact]
    public void The_need_is_found_once_where_its_entry_carries_the_ELF_hash_of_its_version_name()
    {
        byte[] original = File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal);

        IReadOnlyList<long>? offsets = ElfVersionNeedPatcher.FindNeedFlagOffsets(original, Need);

        // Checked without the patcher's section walk: vna_hash, just before vna_flags, is the ELF hash of the name
        // (0x0297f842 for GLIBCXX_3.4.32, by the gABI's elf_hash), and the name itself is in the file.
        long offset = Assert.Single(offsets!);
        Assert.Equal(0x0297f842u, TorchSharpNativeFiles.ElfHash(Need));
        Assert.Equal(TorchSharpNativeFiles.ElfHash(Need), TorchSharpNativeFiles.VernauxHashAt(original, offset));
        Assert.True(original.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(Need + "\0")) > 0);
    }

    [Fact]
    public void The_build_output_copy_has_the_need_weak_and_every_other_byte_of_the_package_original()
    {
        byte[] original = File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal);
        byte[] patched = File.ReadAllBytes(TorchSharpNativeFiles.BuildOutputCopy);
        int flags = (int)TorchSharpNativeFiles.MarkerNeedFlagsOffset;

        Assert.Equal(original.Length, patched.Length);
        // vna_flags is a little-endian u16: none (0) in the package, VER_FLG_WEAK (2) in the output.
        Assert.Equal(new byte[] { 0x00, 0x00 }, original[flags..(flags + 2)]);
        Assert.Equal(new byte[] { 0x02, 0x00 }, patched[flags..(flags + 2)]);
        Assert.Equal(original[..flags], patched[..flags]);
        Assert.Equal(original[(flags + 2)..], patched[(flags + 2)..]);
    }

    [Fact]
    public void The_package_original_is_still_unpatched()
    {
        byte[] original = File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal);

        Assert.Equal(0, original[TorchSharpNativeFiles.MarkerNeedFlagsOffset]);
    }

    [Fact]
    public void Patching_marks_the_need_weak_and_keeps_size_and_last_write_time()
    {
        using var folder = new TemporaryFolder();
        string copy = folder.CopyIn(TorchSharpNativeFiles.PackageOriginal, "libLibTorchSharp.so");
        byte[] before = File.ReadAllBytes(copy);
        DateTime lastWrite = File.GetLastWriteTimeUtc(copy);

        ElfPatchOutcome outcome = ElfVersionNeedPatcher.PatchFile(copy);

        byte[] after = File.ReadAllBytes(copy);
        Assert.Equal(ElfPatchOutcome.Patched, outcome);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(0x02, after[TorchSharpNativeFiles.MarkerNeedFlagsOffset]);
        Assert.Equal(lastWrite, File.GetLastWriteTimeUtc(copy));
        Assert.Equal(["libLibTorchSharp.so"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Patching_twice_changes_nothing_more()
    {
        using var folder = new TemporaryFolder();
        string copy = folder.CopyIn(TorchSharpNativeFiles.PackageOriginal, "libLibTorchSharp.so");
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.PatchFile(copy));
        byte[] once = File.ReadAllBytes(copy);
        DateTime lastWrite = File.GetLastWriteTimeUtc(copy);

        ElfPatchOutcome second = ElfVersionNeedPatcher.PatchFile(copy);

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, second);
        Assert.Equal(once, File.ReadAllBytes(copy));
        Assert.Equal(lastWrite, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void Patching_a_hard_link_leaves_the_other_name_of_the_file_unchanged()
    {
        // A build that hard-links copy-local files into bin/ would otherwise patch the NuGet cache itself.
        using var folder = new TemporaryFolder();
        string cached = folder.CopyIn(TorchSharpNativeFiles.PackageOriginal, "cached.so");
        string output = Path.Combine(folder.Path, "libLibTorchSharp.so");
        TemporaryFolder.CreateHardLink(cached, output);

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.PatchFile(output));

        Assert.Equal(File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal), File.ReadAllBytes(cached));
        Assert.Equal(0x02, File.ReadAllBytes(output)[TorchSharpNativeFiles.MarkerNeedFlagsOffset]);
    }

    [Fact]
    public void An_ELF_file_without_the_need_is_left_untouched()
    {
        using var folder = new TemporaryFolder();
        string copy = folder.CopyIn("/bin/ls", "ls");
        byte[] before = File.ReadAllBytes(copy);
        DateTime lastWrite = File.GetLastWriteTimeUtc(copy);

        ElfPatchOutcome outcome = ElfVersionNeedPatcher.PatchFile(copy);

        Assert.Equal(ElfPatchOutcome.NoSuchNeed, outcome);
        Assert.Equal(before, File.ReadAllBytes(copy));
        Assert.Equal(lastWrite, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_left_untouched()
    {
        using var folder = new TemporaryFolder();
        string text = Path.Combine(folder.Path, "LibTorchSharp.dll");
        File.WriteAllText(text, "MZ: not an ELF file, GLIBCXX_3.4.32 only as text");
        byte[] before = File.ReadAllBytes(text);

        ElfPatchOutcome outcome = ElfVersionNeedPatcher.PatchFile(text);

        Assert.Equal(ElfPatchOutcome.NotElf, outcome);
        Assert.Equal(before, File.ReadAllBytes(text));
    }

    [Fact]
    public void A_need_that_is_already_weak_in_memory_is_reported_and_not_rewritten()
    {
        byte[] image = File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal);
        image[TorchSharpNativeFiles.MarkerNeedFlagsOffset] = 0x02;
        byte[] expected = (byte[])image.Clone();

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeedPatcher.MarkNeedWeak(image));
        Assert.Equal(expected, image);
    }

    [Fact]
    public void Other_flags_of_the_need_are_kept_when_it_is_marked_weak()
    {
        byte[] image = File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal);
        image[TorchSharpNativeFiles.MarkerNeedFlagsOffset] = 0x01; // VER_FLG_BASE, as a stand-in for any other flag

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.MarkNeedWeak(image));
        Assert.Equal(0x03, image[TorchSharpNativeFiles.MarkerNeedFlagsOffset]);
    }

    [Fact]
    public void A_truncated_ELF_file_is_rejected_as_invalid()
    {
        byte[] image = File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal)[..4096];

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkNeedWeak(image));
        Assert.Contains("section header table", error.Message);
    }

    [Fact]
    public void A_32_bit_ELF_file_is_rejected_as_unsupported()
    {
        byte[] image = File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal)[..64];
        image[4] = 1; // ELFCLASS32

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkNeedWeak(image));
        Assert.Contains("64-bit little-endian", error.Message);
    }
}
