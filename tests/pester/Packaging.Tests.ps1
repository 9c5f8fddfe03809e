# scripts/pack-module.ps1 lays out artifacts/module/HerTools/<version>/; with artifacts/module on
# $env:PSModulePath, `Import-Module HerTools` must load it in a fresh pwsh, with nothing copied by hand.
# scripts/test.sh runs it once before the tests (HERTOOLS_MODULE_PACKAGE names the package it also wrote);
# run alone, this file runs it itself (minutes: it builds the other platforms' natives).

BeforeAll {
    $RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $version = (& dotnet msbuild (Join-Path $RepositoryRoot 'src/HerTools.PowerShell') -getProperty:Version -nologo | Out-String).Trim()
    $modules = Join-Path $RepositoryRoot 'artifacts/module'
    $expected = Join-Path $modules 'HerTools' $version
    # The test runner has built module/bin; pack what it built, unless it packed it already.
    $packed = if ($env:HERTOOLS_MODULE_PACKAGE) { Get-Item $expected } else { & (Join-Path $RepositoryRoot 'scripts/pack-module.ps1') -NoBuild }
}

Describe 'scripts/pack-module.ps1' {
    It 'lays the module out in artifacts/module/HerTools/<version>/' {
        $packed.FullName | Should -Be $expected
        Join-Path $expected 'HerTools.psd1' | Should -Exist
        Join-Path $expected 'HerTools.PowerShell.dll' | Should -Exist
        Join-Path $expected 'HerTools.Core.dll' | Should -Exist
        Join-Path $expected 'HerTools.Format.ps1xml' | Should -Exist
        Join-Path $expected 'en-US/HerTools.PowerShell.dll-Help.xml' | Should -Exist
        Join-Path $expected 'en-US/about_HerTools.help.txt' | Should -Exist
    }

    It 'writes a manifest whose paths name files beside it' {
        $manifest = Import-PowerShellDataFile (Join-Path $expected 'HerTools.psd1')
        $named = @($manifest['RootModule'], $manifest['NestedModules'], $manifest['FormatsToProcess']) | ForEach-Object { $_ } | Where-Object { $_ }

        $named | Should -Not -BeNullOrEmpty
        foreach ($file in $named) {
            $file | Should -Not -Match '[\\/]'
            Join-Path $expected $file | Should -Exist
        }
        (Test-ModuleManifest (Join-Path $expected 'HerTools.psd1')).Version | Should -Be ([version]$version)
    }

    It 'puts the TorchSharp native files flat beside TorchSharp.dll, the patched copies of the build' {
        foreach ($native in 'libLibTorchSharp.so', 'libtorch_cpu.so', 'libtorch.so') {
            Join-Path $expected $native | Should -Exist
            (Get-FileHash (Join-Path $expected $native)).Hash | Should -Be (Get-FileHash (Join-Path $RepositoryRoot 'module/bin' $native)).Hash
        }
        Join-Path $expected 'runtimes' | Should -Not -Exist
    }

    It 'puts the Windows and macOS natives beside them, each under its platform''s own names' {
        foreach ($native in 'torch_cpu.dll', 'LibTorchSharp.dll', 'c10.dll', 'libSkiaSharp.dll', 'libtorch_cpu.dylib', 'libLibTorchSharp.dylib', 'libc10.dylib', 'libSkiaSharp.dylib') {
            Join-Path $expected $native | Should -Exist
        }
    }

    It 'stamps the version of Directory.Build.props, which the checkout''s manifests carry too' {
        (Import-PowerShellDataFile (Join-Path $expected 'HerTools.psd1')).ModuleVersion | Should -Be $version
        # The checkout's manifests cannot read MSBuild: they repeat the number, and this keeps them honest.
        (Import-PowerShellDataFile (Join-Path $RepositoryRoot 'HerTools.psd1')).ModuleVersion | Should -Be $version
        (Import-PowerShellDataFile (Join-Path $RepositoryRoot 'module/HerTools.psd1')).ModuleVersion | Should -Be $version
    }

    Context 'in a fresh pwsh with artifacts/module on $env:PSModulePath' {
        BeforeAll {
            $job = Start-Job -ArgumentList $modules -ScriptBlock {
                param($modules)
                $ErrorActionPreference = 'Stop'
                $env:PSModulePath = $modules + [System.IO.Path]::PathSeparator + $env:PSModulePath
                Import-Module HerTools
                [pscustomobject]@{
                    ModuleBase = (Get-Module HerTools).ModuleBase
                    Version    = (Get-Module HerTools).Version.ToString()
                    Cmdlets    = @((Get-Command -Module HerTools).Name)
                    Presets    = @((Get-HerPreset).Name)
                    Product    = (Test-HerTorch).Product | ForEach-Object { $_ -join ',' }
                    Synopsis   = (Get-Help Start-HerTraining).Synopsis
                    About      = (Get-Help about_HerTools | Out-String)
                    View       = (Get-HerPreset | Out-String -Width 200)
                }
            }
            $loaded = $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
        }

        It 'Import-Module HerTools loads the packed module' {
            $loaded.ModuleBase | Should -Be $expected
            $loaded.Version | Should -Be $version
            $loaded.Cmdlets | Should -Contain 'Start-HerTraining'
            $loaded.Cmdlets | Should -Contain 'Test-HerTorch'
        }

        It 'computes with TorchSharp from the packed native files' {
            $loaded.Product | Should -Be @('19,22', '43,50')
        }

        It 'reads the engine''s presets, the help and the format views from the packed layout' {
            $loaded.Presets | Should -Be @('bitflip', 'point_goal', 'point_goal_sac', 'point_goal_td3', 'push2d')
            $loaded.Synopsis | Should -Be 'Trains DDPG with Hindsight Experience Replay into a run folder and returns the run.'
            $loaded.About | Should -Match 'about_HerTools'
            $loaded.View | Should -Match '(?m)^Name\s+Description'
        }
    }
}
