#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Writes the cmdlets' MAML help, module/en-US/HerTools.PowerShell.dll-Help.xml.

.DESCRIPTION
    Joins the text in module/help/HerTools.PowerShell.help.psd1 (synopsis, description, parameter
    descriptions, examples) with what the built module says of each cmdlet (parameter sets, types,
    positions, mandatory, pipeline input, aliases, wildcards), so the help cannot disagree with the code.
    Fails when a cmdlet or a parameter has no text. Build the module first (dotnet build src/HerTools.PowerShell).

.PARAMETER ModulePath
    The module manifest to read the cmdlets from. Default: the repository's HerTools.psd1.

.PARAMETER Check
    Writes nothing; fails if the committed help file differs from what would be written.

.EXAMPLE
    pwsh scripts/build-help.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'HerTools.psd1'),
    [switch] $Check
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = Split-Path -Parent $PSScriptRoot
$sourcePath = Join-Path $root 'module' 'help' 'HerTools.PowerShell.help.psd1'
$outputPath = Join-Path $root 'module' 'en-US' 'HerTools.PowerShell.dll-Help.xml'
$text = Import-PowerShellDataFile -Path $sourcePath

Import-Module $ModulePath -Force
$module = Get-Module HerTools
$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.NewLineChars = "`n"
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$buffer = [System.IO.MemoryStream]::new()
$xml = [System.Xml.XmlWriter]::Create($buffer, $settings)

function Write-Paragraphs([string[]] $Paragraphs) {
    foreach ($p in $Paragraphs) { $xml.WriteElementString('para', $maml, $p) }
}

function Write-Description([string[]] $Paragraphs) {
    $xml.WriteStartElement('description', $maml)
    Write-Paragraphs $Paragraphs
    $xml.WriteEndElement()
}

function Get-TypeName([type] $Type) {
    $nullable = [Nullable]::GetUnderlyingType($Type)
    if ($nullable) { $Type = $nullable }
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    if ($Type.IsArray) { return (Get-TypeName $Type.GetElementType()) + '[]' }
    if ($Type.Namespace -eq 'System' -or $Type.Namespace -eq 'System.Collections') { return $Type.Name }
    return $Type.FullName
}

function Get-PipelineInput($Set) {
    $how = @()
    if ($Set.ValueFromPipeline) { $how += 'ByValue' }
    if ($Set.ValueFromPipelineByPropertyName) { $how += 'ByPropertyName' }
    if ($how.Count -eq 0) { return 'False' }
    return 'True ({0})' -f ($how -join ', ')
}

function Write-Parameter($Parameter, $SetInfo, [string] $Description, [string] $DefaultValue) {
    $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $globbing = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $xml.WriteStartElement('parameter', $command)
    $xml.WriteAttributeString('required', $SetInfo.IsMandatory.ToString().ToLowerInvariant())
    $xml.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
    $xml.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $xml.WriteAttributeString('pipelineInput', (Get-PipelineInput $SetInfo))
    $xml.WriteAttributeString('position', $(if ($SetInfo.Position -ge 0) { "$($SetInfo.Position)" } else { 'named' }))
    $xml.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $xml.WriteElementString('name', $maml, $Parameter.Name)
    Write-Description @($Description)
    $typeName = Get-TypeName $Parameter.ParameterType
    if (-not $isSwitch) {
        $xml.WriteStartElement('parameterValue', $command)
        $xml.WriteAttributeString('required', 'true')
        $xml.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
        $xml.WriteString($typeName)
        $xml.WriteEndElement()
    }
    $xml.WriteStartElement('type', $dev)
    $xml.WriteElementString('name', $maml, $typeName)
    $xml.WriteElementString('uri', $maml, '')
    $xml.WriteEndElement()
    $xml.WriteElementString('defaultValue', $dev, $(if ($DefaultValue) { $DefaultValue } elseif ($isSwitch) { 'False' } else { 'None' }))
    $xml.WriteEndElement()
}

function Format-DefaultValue($Value) {
    if ($Value -isnot [array]) { return [string]$Value }
    '[' + (@(foreach ($item in $Value) { Format-DefaultValue $item }) -join ', ') + ']'
}

function Get-DefaultValue([type] $Implementing, [string] $Name) {
    $instance = [Activator]::CreateInstance($Implementing)
    $property = $Implementing.GetProperty($Name)
    if ($null -eq $property) { return $null }  # -WhatIf and -Confirm belong to PowerShell
    $value = $property.GetValue($instance)
    if ($null -eq $value -or $value -is [System.Management.Automation.SwitchParameter]) { return $null }
    if ($value -is [array]) { return $(if ($value.Count) { Format-DefaultValue $value } else { $null }) }
    if ($value -is [string] -and $value -eq '') { return $null }
    return [string]$value
}

$cmdlets = Get-Command -Module HerTools -CommandType Cmdlet | Sort-Object Name
$missing = @($cmdlets.Name | Where-Object { -not $text.ContainsKey($_) })
if ($missing) { throw "No help text for: $($missing -join ', ') (add them to $sourcePath)" }

$xml.WriteStartDocument()
$xml.WriteStartElement('helpItems', 'http://msh')
$xml.WriteAttributeString('schema', 'maml')
foreach ($cmdlet in $cmdlets) {
    $help = $text[$cmdlet.Name]
    $own = $cmdlet.Parameters.Values | Where-Object { $_.Name -notin $commonParameters -or $_.Name -in 'WhatIf', 'Confirm' }
    $undocumented = @($own.Name | Where-Object { -not $help.Parameters.ContainsKey($_) })
    if ($undocumented) { throw "$($cmdlet.Name): no text for parameter(s) $($undocumented -join ', ')" }

    $xml.WriteStartElement('command', 'command', $command)
    $xml.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $xml.WriteAttributeString('xmlns', 'dev', $null, $dev)

    $xml.WriteStartElement('details', $command)
    $xml.WriteElementString('name', $command, $cmdlet.Name)
    $xml.WriteElementString('verb', $command, $cmdlet.Verb)
    $xml.WriteElementString('noun', $command, $cmdlet.Noun)
    Write-Description @($help.Synopsis)
    $xml.WriteEndElement()

    Write-Description $help.Description

    $xml.WriteStartElement('syntax', $command)
    foreach ($set in $cmdlet.ParameterSets) {
        $xml.WriteStartElement('syntaxItem', $command)
        $xml.WriteElementString('name', $maml, $cmdlet.Name)
        $ordered = $set.Parameters | Where-Object { $_.Name -notin $commonParameters -or $_.Name -in 'WhatIf', 'Confirm' } |
            Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { 1000 } } }, @{ Expression = { -not $_.IsMandatory } }
        foreach ($p in $ordered) {
            $parameter = $cmdlet.Parameters[$p.Name]
            Write-Parameter $parameter $p $help.Parameters[$p.Name] (Get-DefaultValue $cmdlet.ImplementingType $p.Name)
        }
        $xml.WriteEndElement()
    }
    $xml.WriteEndElement()

    $xml.WriteStartElement('parameters', $command)
    foreach ($parameter in ($own | Sort-Object Name)) {
        # One entry per parameter: the first set's view of it (mandatory if any set requires it).
        $sets = $parameter.ParameterSets.Values
        $first = $sets | Select-Object -First 1
        $view = [pscustomobject]@{
            IsMandatory                     = [bool]($sets | Where-Object IsMandatory)
            Position                        = ($sets | ForEach-Object Position | Sort-Object -Descending | Select-Object -First 1)
            ValueFromPipeline               = [bool]($sets | Where-Object ValueFromPipeline)
            ValueFromPipelineByPropertyName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
        }
        if ($null -eq $view.Position) { $view.Position = $first.Position }
        Write-Parameter $parameter $view $help.Parameters[$parameter.Name] (Get-DefaultValue $cmdlet.ImplementingType $parameter.Name)
    }
    $xml.WriteEndElement()

    foreach ($kind in @(@{ List = 'inputTypes'; Item = 'inputType'; Key = 'Inputs' }, @{ List = 'returnValues'; Item = 'returnValue'; Key = 'Outputs' })) {
        $xml.WriteStartElement($kind.List, $command)
        foreach ($entry in $help[$kind.Key]) {
            $xml.WriteStartElement($kind.Item, $command)
            $xml.WriteStartElement('type', $dev)
            $xml.WriteElementString('name', $maml, $entry.Type)
            $xml.WriteEndElement()
            Write-Description @($entry.Description)
            $xml.WriteEndElement()
        }
        $xml.WriteEndElement()
    }

    if ($help.ContainsKey('Notes')) {
        $xml.WriteStartElement('alertSet', $maml)
        $xml.WriteStartElement('alert', $maml)
        Write-Paragraphs $help.Notes
        $xml.WriteEndElement()
        $xml.WriteEndElement()
    }

    $xml.WriteStartElement('examples', $command)
    $n = 0
    foreach ($example in $help.Examples) {
        $n++
        $xml.WriteStartElement('example', $command)
        $xml.WriteElementString('title', $maml, "--------- Example $($n): $($example.Title) ---------")
        $xml.WriteElementString('code', $dev, $example.Code.Replace("`r`n", "`n"))
        $xml.WriteStartElement('remarks', $dev)
        Write-Paragraphs @($example.Remarks)
        $xml.WriteEndElement()
        $xml.WriteEndElement()
    }
    $xml.WriteEndElement()

    $xml.WriteStartElement('relatedLinks', $command)
    foreach ($link in $help.Links) {
        $xml.WriteStartElement('navigationLink', $maml)
        $xml.WriteElementString('linkText', $maml, $link)
        $xml.WriteElementString('uri', $maml, '')
        $xml.WriteEndElement()
    }
    $xml.WriteEndElement()

    $xml.WriteEndElement()
}
$xml.WriteEndElement()
$xml.WriteEndDocument()
$xml.Flush()
$content = [System.Text.Encoding]::UTF8.GetString($buffer.ToArray()) + "`n"

if ($Check) {
    $committed = if (Test-Path $outputPath) { (Get-Content -Raw $outputPath).Replace("`r`n", "`n") } else { '' }
    if ($committed -ne $content) { throw "$outputPath is out of date: run pwsh scripts/build-help.ps1" }
    Write-Host "$outputPath is up to date."
    return
}
New-Item -ItemType Directory -Force -Path (Split-Path -Parent $outputPath) | Out-Null
[System.IO.File]::WriteAllText($outputPath, $content, [System.Text.UTF8Encoding]::new($false))
Write-Host "Wrote $outputPath ($($cmdlets.Count) cmdlets)."
