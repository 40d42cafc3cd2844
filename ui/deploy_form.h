#pragma once

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace tai::ui {

// Request a deployment: service, version, regions (in order), and whether it is an initial one.
class DeployForm : public QWidget {
    Q_OBJECT
public:
    DeployForm(const QStringList& regions, QWidget* parent = nullptr);

    void showResult(const QString& text, bool ok);
    QJsonObject request() const;
    QString resultText() const;

Q_SIGNALS:
    void deploymentRequested(const QJsonObject& request);

private:
    QComboBox* service_;
    QLineEdit* version_;
    QList<QCheckBox*> regions_;
    QCheckBox* initial_;
    QLabel* result_;
};

}  // namespace tai::ui
