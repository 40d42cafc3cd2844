#pragma once

#include <QColor>
#include <QWidget>

namespace tai::ui {

// A round signal light with a word inside (GREEN, OPEN, …): colour for the glance, text for
// anyone who cannot rely on colour.
class StatusLight : public QWidget {
    Q_OBJECT
public:
    explicit StatusLight(int diameter, QWidget* parent = nullptr);

    void setState(const QColor& color, const QString& word);
    // A ring in another colour around the light: something the light leaves out on purpose
    // (a silenced CRITICAL around a GREEN light). An invalid colour removes it.
    void setRing(const QColor& ring, const QString& why);
    QString word() const { return word_; }
    QColor ring() const { return ring_; }
    QSize sizeHint() const override { return {diameter_, diameter_}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int diameter_;
    QColor color_{Qt::gray};
    QString word_;
    QColor ring_;
};

}  // namespace tai::ui
