# The HerTools module as PowerShell users install it: the PSResourceGet package (HerTools.<version>.nupkg)
# published into a local repository, `Install-PSResource HerTools` into a user's module path, then `Import-Module HerTools` by name
# in a fresh pwsh that trains and evaluates.
# scripts/test.sh packs it once (scripts/pack-module.ps1 -PackageDestination artifacts) and names the file in
# HERTOOLS_MODULE_PACKAGE; run alone, this file packs its own (minutes: three platforms' libtorch).
# Installing and importing run in pwsh processes whose HOME is a temporary folder: the repository registration
# and the CurrentUser module path are theirs, and this machine's user is left as it was.

BeforeAll {
    $repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $properties = (& dotnet msbuild (Join-Path $repositoryRoot 'src/HerTools.PowerShell') -getProperty:Version -getProperty:PackageProjectUrl -nologo | ConvertFrom-Json).Properties
    $script:Version = $properties.Version
    $script:ProjectUrl = $properties.PackageProjectUrl
    $script:Package = $env:HERTOOLS_MODULE_PACKAGE
    if (-not $Package) {
        $script:Package = & (Join-Path $repositoryRoot 'scripts/pack-module.ps1') -NoBuild -Destination (Join-Path $TestDrive 'layout') -PackageDestination (Join-Path $TestDrive 'package') |
            Select-Object -Last 1 -ExpandProperty FullName
    }

    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
    try {
        $script:Entries = @($zip.Entries | ForEach-Object FullName)
        $read = {
            param($name)
            $reader = [System.IO.StreamReader]::new($zip.GetEntry($name).Open())
            try { $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        $script:Nuspec = ([xml](& $read 'HerTools.nuspec')).package.metadata
        $script:ManifestText = & $read 'HerTools.psd1'
    }
    finally { $zip.Dispose() }

    # A pwsh of its own: this very PowerShell (the local tool), with HOME in the test drive.
    $script:UserHome = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path $UserHome | Out-Null
    function Invoke-UserPwsh([string] $Command) {
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME; PSModulePath = $env:PSModulePath }
        try {
            $env:HOME = $script:UserHome
            $env:XDG_DATA_HOME = $null; $env:XDG_CONFIG_HOME = $null; $env:XDG_CACHE_HOME = $null
            # A fresh pwsh computes its module path itself (user, shared, $PSHOME); this one's must not leak in.
            $env:PSModulePath = $null
            $pwsh = [Environment]::ProcessPath
            $arguments = @('-NoProfile', '-NonInteractive', '-Command', $Command)
            # `dotnet pwsh` runs pwsh.dll in the dotnet host.
            if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments = @(Join-Path $PSHOME 'pwsh.dll') + $arguments }
            # Started in the temporary home too: Publish-PSResource (NuGet's settings code) writes NuGet/NuGet.Config
            # under its working directory.
            Push-Location $script:UserHome
            try { $output = & $pwsh @arguments 2>&1 } finally { Pop-Location }
            if ($LASTEXITCODE -ne 0) { throw "pwsh failed (exit code $LASTEXITCODE): $($output -join "`n")" }
            ($output | Select-Object -Last 1 | Out-String) | ConvertFrom-Json
        }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    }
}

Describe 'the HerTools PSResourceGet package' {
    It 'carries the <Platform> natives beside TorchSharp.dll' -ForEach @(
        @{ Platform = 'linux-x64'; Natives = @('libtorch_cpu.so', 'libLibTorchSharp.so', 'libSkiaSharp.so') }
        @{ Platform = 'win-x64'; Natives = @('torch_cpu.dll', 'LibTorchSharp.dll', 'libSkiaSharp.dll') }
        @{ Platform = 'osx-arm64'; Natives = @('libtorch_cpu.dylib', 'libLibTorchSharp.dylib', 'libSkiaSharp.dylib') }
    ) {
        $Entries | Should -Contain 'TorchSharp.dll'
        foreach ($native in $Natives) { $Entries | Should -Contain $native -Because "$Platform loads it from beside TorchSharp.dll" }
    }

    It 'carries the cmdlets, the manifest, the views, the help and no libtorch file nothing loads' {
        foreach ($file in 'HerTools.psd1', 'HerTools.PowerShell.dll', 'HerTools.Core.dll', 'HerTools.Format.ps1xml', 'README.md', 'en-US/about_HerTools.help.txt') {
            $Entries | Should -Contain $file
        }
        @($Entries | Where-Object { $_ -match 'libtorch_python|_test\.so$|libnnapi_backend' }) | Should -BeNullOrEmpty
    }

    It 'has the gallery metadata: id, version, description, tags, project and license URIs, release notes' {
        $Nuspec.id | Should -Be 'HerTools'
        $Nuspec.version | Should -Be $Version
        $Nuspec.description | Should -Match 'Hindsight Experience Replay'
        $Nuspec.tags -split ' ' | Should -Contain 'PSModule'
        $Nuspec.tags -split ' ' | Should -Contain 'PSEdition_Core'
        $Nuspec.projectUrl | Should -Be $ProjectUrl
        $Nuspec.licenseUrl | Should -Be "$ProjectUrl/blob/main/LICENSE"
        # The release notes are this version's CHANGELOG.md section.
        $changelog = Get-Content -Raw (Join-Path $PSScriptRoot '../../CHANGELOG.md')
        $section = [regex]::Match($changelog, "(?ms)^## $([regex]::Escape($Version))[^\n]*\n(.*?)(?=^## |\z)").Groups[1].Value.Trim()
        $section | Should -Not -BeNullOrEmpty
        $Nuspec.releaseNotes.Trim() -replace '\r', '' | Should -Be ($section -replace '\r', '')
    }

    It 'has a manifest with the version of Directory.Build.props, PowerShell 7.4+, Core edition' {
        $manifestPath = Join-Path $TestDrive 'HerTools.psd1'
        Set-Content -Path $manifestPath -Value $ManifestText
        $manifest = Import-PowerShellDataFile $manifestPath
        $manifest.ModuleVersion | Should -Be $Version
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.RootModule | Should -Be 'HerTools.PowerShell.dll'
        $manifest.PrivateData.PSData.ProjectUri | Should -Be $ProjectUrl
        $manifest.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.LicenseUri | Should -Be $Nuspec.licenseUrl
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }
}

Describe 'Publish-PSResource into a local repository, then Install-PSResource HerTools' {
    BeforeAll {
        $script:Repository = Join-Path $TestDrive 'repository'
        New-Item -ItemType Directory -Path $Repository | Out-Null
        # Publish-PSResource -NupkgPath publishes the package as packed (-Path would pack the folder again).
        $script:Installed = Invoke-UserPwsh @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name local -Uri '$Repository' -Trusted
Publish-PSResource -NupkgPath '$Package' -Repository local
Install-PSResource HerTools -Repository local -Scope CurrentUser
Get-InstalledPSResource HerTools | Select-Object Name, @{ n = 'Version'; e = { `$_.Version.ToString() } }, InstalledLocation | ConvertTo-Json -Compress
"@
        $script:Run = Join-Path $TestDrive 'run'
        # Import by name, as a user would after installing: nothing names a path.
        $script:Used = Invoke-UserPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module HerTools
`$run = Start-HerTraining -Preset point_goal -Seed 0 -TotalTimesteps 1500 -OutputDirectory '$Run'
`$evaluation = `$run | Get-HerCheckpoint -Best | Invoke-HerEval -Episodes 20
[pscustomobject]@{
    ModuleBase  = (Get-Module HerTools).ModuleBase
    Version     = (Get-Module HerTools).Version.ToString()
    Status      = `$run.Status.ToString()
    Timesteps   = `$run.Timesteps
    SuccessRate = `$evaluation.SuccessRate
    Episodes    = `$evaluation.EpisodeCount
} | ConvertTo-Json -Compress
"@
    }

    It 'publishes the package into the local repository' {
        Join-Path $Repository "HerTools.$Version.nupkg" | Should -Exist
    }

    It 'installs HerTools into the user''s module path' {
        $Installed.Name | Should -Be 'HerTools'
        $Installed.Version | Should -Be $Version
        $Installed.InstalledLocation | Should -BeLike "$UserHome*"
        Join-Path $UserHome ".local/share/powershell/Modules/HerTools/$Version/HerTools.psd1" | Should -Exist
    }

    It 'Import-Module HerTools in a fresh pwsh loads the installed module' {
        $Used.ModuleBase | Should -Be (Join-Path $UserHome ".local/share/powershell/Modules/HerTools/$Version")
        $Used.Version | Should -Be $Version
    }

    It 'trains the point_goal preset and evaluates its best checkpoint' {
        $Used.Status | Should -Be 'Completed'
        $Used.Timesteps | Should -Be 1500
        $Used.Episodes | Should -Be 20
        # point_goal reaches 0.95 in about 550 steps (README); 1,500 steps with seed 0 leave a wide margin.
        $Used.SuccessRate | Should -BeGreaterOrEqual 0.6
    }
}
