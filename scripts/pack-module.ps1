#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Lays out the HerTools module as PowerShell installs modules: artifacts/module/HerTools/<version>/.

.DESCRIPTION
    Builds src/HerTools.PowerShell (its output, in module/bin/, already has the TorchSharp native files flat
    beside TorchSharp.dll and patched by the build), then copies that output, the format file and the help
    (module/en-US) into artifacts/module/HerTools/<version>/ and writes module/HerTools.psd1 there with bin/
    dropped from its paths. Put artifacts/module on $env:PSModulePath and `Import-Module HerTools` loads it.

.PARAMETER Destination
    The folder to lay the module out in (the one that goes on $env:PSModulePath). Default: artifacts/module.

.PARAMETER Configuration
    The build configuration. Default: Release.

.PARAMETER NoBuild
    Packs module/bin/ as it is, without building first.

.EXAMPLE
    pwsh scripts/pack-module.ps1
    $env:PSModulePath = "$PWD/artifacts/module" + [IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module HerTools
#>
[CmdletBinding()]
param(
    [string] $Destination = (Join-Path $PSScriptRoot '..' 'artifacts' 'module'),
    [string] $Configuration = 'Release',
    [switch] $NoBuild
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$module = Join-Path $root 'module'
$bin = Join-Path $module 'bin'
# module/HerTools.psd1 is the module's own manifest (the repository's HerTools.psd1 only forwards to it).
$manifestPath = Join-Path $module 'HerTools.psd1'

if (-not $NoBuild) {
    Write-Verbose "Building src/HerTools.PowerShell ($Configuration) into module/bin"
    dotnet build (Join-Path $root 'src' 'HerTools.PowerShell') -c $Configuration --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet build src/HerTools.PowerShell failed (exit code $LASTEXITCODE)" }
}

foreach ($required in 'HerTools.PowerShell.dll', 'TorchSharp.dll', 'libLibTorchSharp.so', 'libtorch_cpu.so') {
    if (-not (Test-Path (Join-Path $bin $required))) {
        throw "module/bin/$required is missing: build the module first (dotnet build src/HerTools.PowerShell), or run without -NoBuild."
    }
}

$manifest = Import-PowerShellDataFile $manifestPath
$target = Join-Path ([System.IO.Path]::GetFullPath($Destination)) 'HerTools' $manifest.ModuleVersion
if (Test-Path $target) { Remove-Item -Recurse -Force $target }
New-Item -ItemType Directory -Force -Path $target | Out-Null

# The build output as it is: the assembly, its dependencies, the native files flat and already patched.
Get-ChildItem -Path $bin -Force | Where-Object { $_.Extension -ne '.pdb' } |
    Copy-Item -Destination $target -Recurse -Force
# What ships beside it: the format file and en-US/ (cmdlet help, about_HerTools). help/ is the help's source.
Get-ChildItem -Path $module -Force | Where-Object { $_.Name -notin 'bin', 'help', 'HerTools.psd1' } |
    Copy-Item -Destination $target -Recurse -Force

# The manifest with bin/ dropped from its paths, as everything now sits beside it.
$text = Get-Content -Raw $manifestPath
$packed = [regex]::Replace($text, "'bin/([^']+)'", "'`$1'")
# Its comments describe the repository's layout; this one says where it came from.
$packed = "# Laid out by scripts/pack-module.ps1: the compiled cmdlets and their dependencies sit beside this manifest.`n" +
    ($packed -replace '(?m)^[ \t]*#.*\r?\n', '')
Set-Content -Path (Join-Path $target 'HerTools.psd1') -Value $packed -NoNewline

$null = Test-ModuleManifest -Path (Join-Path $target 'HerTools.psd1')
Get-Item $target
