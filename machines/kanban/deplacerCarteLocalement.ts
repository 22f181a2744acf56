import type { Colonne, PositionCarte } from './types';

/**
 * Moves a card to `indexCible` of `colonneCibleId` (index counted once the card is removed,
 * clamped to the column). Pure: returns new arrays, never mutates; unknown card or column
 * returns the input unchanged.
 */
export function déplacerCarteLocalement(
  colonnes: Colonne[],
  carteId: string,
  colonneCibleId: string,
  indexCible: number,
): Colonne[] {
  const source = colonnes.find((c) => c.cartes.some((carte) => carte.id === carteId));
  const cible = colonnes.find((c) => c.id === colonneCibleId);
  if (!source || !cible) return colonnes;

  const carte = source.cartes.find((c) => c.id === carteId)!;
  const sansCarte = colonnes.map((c) =>
    c === source ? { ...c, cartes: c.cartes.filter((x) => x.id !== carteId) } : c,
  );
  return sansCarte.map((c) => {
    if (c.id !== colonneCibleId) return c;
    const index = Number.isFinite(indexCible)
      ? Math.min(Math.max(0, Math.trunc(indexCible)), c.cartes.length)
      : c.cartes.length;
    return { ...c, cartes: [...c.cartes.slice(0, index), carte, ...c.cartes.slice(index)] };
  });
}

/** Where a card is, or null. */
export function positionCarte(colonnes: Colonne[], carteId: string): PositionCarte | null {
  for (const colonne of colonnes) {
    const index = colonne.cartes.findIndex((c) => c.id === carteId);
    if (index !== -1) return { colonneId: colonne.id, index };
  }
  return null;
}
