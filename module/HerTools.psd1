@{
    # The module's own manifest. The repository's HerTools.psd1 forwards here, so module/ is the module's base
    # folder (formats, en-US help); the compiled cmdlets and their dependencies are the build output in bin/.
    # scripts/pack-module.ps1 lays this folder out flat as artifacts/module/HerTools/<version>/, with the version
    # of Directory.Build.props and the CHANGELOG.md section of that version as release notes, and packs it.
    RootModule           = 'bin/HerTools.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f7a52-6d0e-4c1e-9a43-3f3f6c2b8e71'
    Author               = 'HerTools'
    CompanyName          = 'HerTools'
    Copyright            = '(c) HerTools contributors'
    Description          = 'Goal-conditioned reinforcement learning with Hindsight Experience Replay (DDPG+HER on TorchSharp) from PowerShell: train agents into run folders, evaluate checkpoints, plot learning curves and run sweeps locally or on Slurm. Carries libtorch for Windows x64, macOS arm64 and Linux x64.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('HerTools.Format.ps1xml')
    CmdletsToExport      = '*'
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('ReinforcementLearning', 'HER', 'HindsightExperienceReplay', 'DDPG', 'TorchSharp', 'MachineLearning', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/hertools/hertools'
            LicenseUri   = 'https://github.com/hertools/hertools/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/hertools/hertools/blob/main/CHANGELOG.md'
        }
    }
}
