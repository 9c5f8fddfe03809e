@{
    # The HerTools module. The compiled cmdlets live in module/bin/ (build output: run
    # `dotnet build src/HerTools.PowerShell` or either README command first), beside TorchSharp
    # and its native files; module/ holds what ships beside the assembly (formats, help).
    RootModule           = 'module/bin/HerTools.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f7a52-6d0e-4c1e-9a43-3f3f6c2b8e71'
    Author               = 'HerTools'
    CompanyName          = 'HerTools'
    Copyright            = '(c) HerTools. All rights reserved.'
    Description          = 'Goal-conditioned reinforcement learning with Hindsight Experience Replay (DDPG+HER on TorchSharp) from PowerShell.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('module/HerTools.Format.ps1xml')
    CmdletsToExport      = '*'
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('ReinforcementLearning', 'HER', 'DDPG', 'TorchSharp')
        }
    }
}
