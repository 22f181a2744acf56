import { describe, expect, it } from 'vitest';
import { déplacerCarteLocalement, positionCarte } from './deplacerCarteLocalement';
import type { Colonne } from './types';

const tableau = (): Colonne[] => [
  { id: 'a', titre: 'A', cartes: [{ id: '1', titre: 'un' }, { id: '2', titre: 'deux' }, { id: '3', titre: 'trois' }] },
  { id: 'b', titre: 'B', limite: 2, cartes: [{ id: '4', titre: 'quatre' }] },
  { id: 'c', titre: 'C', limite: null, cartes: [] },
];

const ids = (colonnes: Colonne[]) => colonnes.map((c) => `${c.id}:${c.cartes.map((x) => x.id).join('')}`).join(' ');

function gelé<T>(valeur: T): T {
  if (valeur && typeof valeur === 'object') {
    Object.values(valeur).forEach(gelé);
    Object.freeze(valeur);
  }
  return valeur;
}

describe('déplacerCarteLocalement', () => {
  it('moves a card to another column at the given index', () => {
    expect(ids(déplacerCarteLocalement(tableau(), '2', 'b', 0))).toBe('a:13 b:24 c:');
    expect(ids(déplacerCarteLocalement(tableau(), '2', 'b', 1))).toBe('a:13 b:42 c:');
  });

  it('reorders inside a column, the index counted once the card is removed', () => {
    expect(ids(déplacerCarteLocalement(tableau(), '1', 'a', 2))).toBe('a:231 b:4 c:');
    expect(ids(déplacerCarteLocalement(tableau(), '3', 'a', 0))).toBe('a:312 b:4 c:');
  });

  it('clamps out-of-range and non-finite indexes', () => {
    expect(ids(déplacerCarteLocalement(tableau(), '1', 'c', 99))).toBe('a:23 b:4 c:1');
    expect(ids(déplacerCarteLocalement(tableau(), '1', 'b', -3))).toBe('a:23 b:14 c:');
    expect(ids(déplacerCarteLocalement(tableau(), '1', 'b', Number.NaN))).toBe('a:23 b:41 c:');
  });

  it('returns the same board for an unknown card or column', () => {
    const t = tableau();
    expect(déplacerCarteLocalement(t, 'inconnue', 'b', 0)).toBe(t);
    expect(déplacerCarteLocalement(t, '1', 'inconnue', 0)).toBe(t);
  });

  it('never mutates its input', () => {
    const t = gelé(tableau());
    expect(() => déplacerCarteLocalement(t, '1', 'b', 0)).not.toThrow();
    expect(ids(t)).toBe('a:123 b:4 c:');
  });

  it('is undone exactly by moving the card back to its original column and index', () => {
    const départ = tableau();
    for (const colonne of départ) {
      for (const [index, carte] of colonne.cartes.entries()) {
        for (const cible of départ) {
          for (let indexCible = 0; indexCible <= cible.cartes.length + 1; indexCible++) {
            const déplacé = déplacerCarteLocalement(départ, carte.id, cible.id, indexCible);
            expect(déplacerCarteLocalement(déplacé, carte.id, colonne.id, index)).toEqual(départ);
          }
        }
      }
    }
  });

  it('finds where a card is', () => {
    expect(positionCarte(tableau(), '3')).toEqual({ colonneId: 'a', index: 2 });
    expect(positionCarte(tableau(), 'inconnue')).toBeNull();
  });
});
