#pragma once

#include <QAbstractButton>
#include <QLabel>
#include <QScrollArea>
#include <QStringList>
#include <QWidget>

// Finds text that an operator cannot read in full: a label or button whose text is wider than
// the widget (or, when it wraps, taller), or a widget that sticks out of the panel that holds it.
// A widget that elides on purpose shows its whole text in its tooltip and is not reported.
inline QStringList clippedText(QWidget* root) {
    QStringList problems;
    const auto name = [](const QWidget* w, const QString& text) {
        return QStringLiteral("%1 \"%2\"")
            .arg(QString::fromLatin1(w->metaObject()->className()), text.left(60));
    };
    const QRect area = root->rect();
    const auto inside = [root, area](QWidget* w) {
        // Relative to the root, but a widget inside a scroll area is judged by the viewport
        // that shows it only horizontally (scrolling vertically is how it is reached).
        QRect r(w->mapTo(root, QPoint(0, 0)), w->size());
        for (QWidget* p = w->parentWidget(); p != nullptr && p != root; p = p->parentWidget()) {
            if (auto* scroll = qobject_cast<QScrollArea*>(p)) {
                const QRect view(scroll->viewport()->mapTo(root, QPoint(0, 0)), scroll->viewport()->size());
                return r.left() >= view.left() - 1 && r.right() <= view.right() + 1;
            }
        }
        return area.adjusted(-1, -1, 1, 1).contains(r);
    };
    for (QLabel* label : root->findChildren<QLabel*>()) {
        if (!label->isVisibleTo(root) || label->text().isEmpty() || label->textFormat() == Qt::RichText ||
            !label->pixmap().isNull()) {
            continue;
        }
        if (label->text() != label->toolTip()) {
            const QRect c = label->contentsRect();
            const QFontMetrics fm = label->fontMetrics();
            const int wanted = label->wordWrap() ? label->heightForWidth(label->width()) : 0;
            const bool fits =
                label->wordWrap()
                    ? wanted <= label->height() + 1
                    : fm.horizontalAdvance(label->text().split(QLatin1Char('\n')).first()) <= c.width() + 1;
            if (!fits) {
                problems << name(label, label->text()) +
                                QStringLiteral(" does not fit %1x%2 (wants height %3)")
                                    .arg(c.width())
                                    .arg(c.height())
                                    .arg(wanted);
            }
        }
        if (!inside(label)) {
            problems << name(label, label->text()) + QStringLiteral(" lies outside its panel");
        }
    }
    for (QAbstractButton* button : root->findChildren<QAbstractButton*>()) {
        if (!button->isVisibleTo(root) || button->text().isEmpty()) {
            continue;
        }
        const int needed =
            button->fontMetrics().horizontalAdvance(QString(button->text()).remove(QLatin1Char('&')));
        if (needed > button->width() - 6 && button->toolTip() != button->text()) {
            problems << name(button, button->text()) +
                            QStringLiteral(" needs %1 px, has %2").arg(needed).arg(button->width());
        }
        if (!inside(button)) {
            problems << name(button, button->text()) + QStringLiteral(" lies outside its panel");
        }
    }
    return problems;
}
