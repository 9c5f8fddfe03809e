using HerTools.Build;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace HerTools.Core.Tests.Build;

public sealed class PatchTorchSharpNativeTests
{
    [Fact]
    public void Each_file_gets_a_message_that_says_what_happened_to_it_and_no_warning()
    {
        using var folder = new TemporaryFolder();
        string torch = folder.CopyIn(TorchSharpNativeFiles.PackageOriginal, "libLibTorchSharp.so");
        string ls = folder.CopyIn("/bin/ls", "ls");
        string text = Path.Combine(folder.Path, "notes.txt");
        File.WriteAllText(text, "plain text");
        var engine = new RecordingBuildEngine();
        var task = new PatchTorchSharpNative { BuildEngine = engine, Files = [new TaskItem(torch), new TaskItem(ls), new TaskItem(text)] };

        bool succeeded = task.Execute();

        Assert.True(succeeded);
        Assert.Empty(engine.Warnings);
        Assert.Empty(engine.Errors);
        Assert.Equal(
            [
                $"HerTools: marked the GLIBCXX_3.4.32 version need of {torch} weak, so it loads where libstdc++ lacks that version.",
                $"HerTools: {ls} has no GLIBCXX_3.4.32 version need; left untouched.",
                $"HerTools: {text} is not an ELF file; left untouched.",
            ],
            engine.Messages.Select(message => message.Message));
        Assert.All(engine.Messages, message => Assert.Equal(MessageImportance.High, message.Importance));
        Assert.Equal(["Patched", "NoSuchNeed", "NotElf"], task.Results.Select(result => result.GetMetadata("Outcome")));
    }

    [Fact]
    public void A_second_run_reports_the_need_already_weak_at_normal_importance()
    {
        using var folder = new TemporaryFolder();
        string torch = folder.CopyIn(TorchSharpNativeFiles.PackageOriginal, "libLibTorchSharp.so");
        ElfVersionNeedPatcher.PatchFile(torch);
        var engine = new RecordingBuildEngine();
        var task = new PatchTorchSharpNative { BuildEngine = engine, Files = [new TaskItem(torch)] };

        Assert.True(task.Execute());

        BuildMessageEventArgs message = Assert.Single(engine.Messages);
        Assert.Equal($"HerTools: the GLIBCXX_3.4.32 version need of {torch} is already weak; nothing to do.", message.Message);
        Assert.Equal(MessageImportance.Normal, message.Importance);
    }

    [Fact]
    public void A_damaged_ELF_file_fails_the_build_with_an_error_naming_the_file()
    {
        using var folder = new TemporaryFolder();
        string damaged = Path.Combine(folder.Path, "libLibTorchSharp.so");
        File.WriteAllBytes(damaged, File.ReadAllBytes(TorchSharpNativeFiles.PackageOriginal)[..4096]);
        var engine = new RecordingBuildEngine();
        var task = new PatchTorchSharpNative { BuildEngine = engine, Files = [new TaskItem(damaged)] };

        bool succeeded = task.Execute();

        Assert.False(succeeded);
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal("HERTOOLS001", error.Code);
        Assert.Equal(damaged, error.File);
        Assert.StartsWith($"HerTools: could not mark the GLIBCXX_3.4.32 need of {damaged} weak:", error.Message);
    }
}
