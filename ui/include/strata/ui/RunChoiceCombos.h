#pragma once

#include <strata/pipeline/PipelineManifest.h>

#include <QString>

#include <vector>

class QComboBox;

namespace strata::ui {

class RunTargets;

/// Fills a combo box with the run targets (title, id as data, description as tooltip), keeping the chosen one when it
/// is still there (else the first); no signals while filling. Shared by the Analysis and Cohort panels.
void fillTargetCombo(QComboBox* combo, const RunTargets& targets);
/// The same for pipelines (title, id, description).
void fillPipelineCombo(QComboBox* combo, const std::vector<pipeline::PipelineManifest>& manifests);
/// Selects `device` ("auto", "cpu", "cuda": Edit > Preferences) in a device combo when the target is this workstation.
void selectPreferredDevice(QComboBox* device, const QString& targetId, const QString& preferred);

} // namespace strata::ui
