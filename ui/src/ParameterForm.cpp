#include "strata/ui/ParameterForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <limits>

namespace strata::ui {

ParameterForm::ParameterForm(QWidget* parent) : QWidget(parent), form_(new QFormLayout(this))
{
    form_->setContentsMargins(0, 0, 0, 0);
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void ParameterForm::setParameters(const std::vector<pipeline::ParameterSpec>& specs)
{
    while (form_->rowCount() > 0) {
        form_->removeRow(0);
    }
    specs_ = specs;
    editors_.clear();
    for (const auto& s : specs_) {
        QWidget* e = nullptr;
        const QString help = QString::fromStdString(s.help);
        if (s.type == "int") {
            auto* w = new QSpinBox;
            w->setRange(s.min ? static_cast<int>(*s.min) : -1000000000, s.max ? static_cast<int>(*s.max) : 1000000000);
            connect(w, &QSpinBox::valueChanged, this, &ParameterForm::edited);
            e = w;
        } else if (s.type == "number") {
            auto* w = new QDoubleSpinBox;
            w->setDecimals(3);
            w->setSingleStep(0.05);
            w->setRange(s.min ? *s.min : -1e9, s.max ? *s.max : 1e9);
            connect(w, &QDoubleSpinBox::valueChanged, this, &ParameterForm::edited);
            e = w;
        } else if (s.type == "bool") {
            auto* w = new QCheckBox;
            connect(w, &QCheckBox::toggled, this, &ParameterForm::edited);
            e = w;
        } else if (s.type == "choice") {
            auto* w = new QComboBox;
            for (const auto& c : s.choices) {
                w->addItem(QString::fromStdString(c));
            }
            connect(w, &QComboBox::currentIndexChanged, this, &ParameterForm::edited);
            e = w;
        } else {
            auto* w = new QLineEdit;
            connect(w, &QLineEdit::textEdited, this, &ParameterForm::edited);
            e = w;
        }
        e->setObjectName(QStringLiteral("param_") + QString::fromStdString(s.name));
        e->setToolTip(help + QStringLiteral("\n(default: %1)").arg(QString::fromStdString(s.defaultValue.dump())));
        auto* label = new QLabel(QString::fromStdString(s.name).replace(QLatin1Char('_'), QLatin1Char(' ')));
        label->setToolTip(e->toolTip());
        form_->addRow(label, e);
        editors_.push_back(e);
    }
    resetToDefaults();
}

void ParameterForm::resetToDefaults()
{
    nlohmann::json defaults = nlohmann::json::object();
    for (const auto& s : specs_) {
        defaults[s.name] = s.defaultValue;
    }
    setValues(defaults);
}

void ParameterForm::setValues(const nlohmann::json& values)
{
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        const auto& s = specs_[i];
        if (!values.is_object() || !values.contains(s.name)) {
            continue;
        }
        const auto& v = values[s.name];
        try {
            if (auto* w = qobject_cast<QSpinBox*>(editors_[i])) {
                w->setValue(v.get<int>());
            } else if (auto* d = qobject_cast<QDoubleSpinBox*>(editors_[i])) {
                d->setValue(v.get<double>());
            } else if (auto* c = qobject_cast<QCheckBox*>(editors_[i])) {
                c->setChecked(v.get<bool>());
            } else if (auto* b = qobject_cast<QComboBox*>(editors_[i])) {
                b->setCurrentText(QString::fromStdString(v.get<std::string>()));
            } else if (auto* l = qobject_cast<QLineEdit*>(editors_[i])) {
                l->setText(QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump()));
            }
        } catch (const nlohmann::json::exception&) {
            // a stored value of the wrong type keeps the editor's value
        }
    }
}

nlohmann::json ParameterForm::values() const
{
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        const auto& name = specs_[i].name;
        if (auto* w = qobject_cast<QSpinBox*>(editors_[i])) {
            out[name] = w->value();
        } else if (auto* d = qobject_cast<QDoubleSpinBox*>(editors_[i])) {
            out[name] = d->value();
        } else if (auto* c = qobject_cast<QCheckBox*>(editors_[i])) {
            out[name] = c->isChecked();
        } else if (auto* b = qobject_cast<QComboBox*>(editors_[i])) {
            out[name] = b->currentText().toStdString();
        } else if (auto* l = qobject_cast<QLineEdit*>(editors_[i])) {
            out[name] = l->text().toStdString();
        }
    }
    return out;
}

QWidget* ParameterForm::editor(const QString& name) const
{
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        if (QString::fromStdString(specs_[i].name) == name) {
            return editors_[i];
        }
    }
    return nullptr;
}

} // namespace strata::ui
