import { describe, expect, it } from 'vitest';
import { claimedSchools, claimValues, displayName, isAcademieAdmin } from '../../../client/web/auth/claims';

const rules = { adminClaims: [['FrEduFonctAdm', 'DAFPIC']] as [string, string][], adminSubjects: ['chef-dane'] };

describe('the claims of French education identity providers', () => {
  it('read FrEduRne and FrEduRneResp as a string, a list or comma-separated values, UAI first, invalid ones dropped', () => {
    expect(claimedSchools({ FrEduRne: '0750680G$UAJ$PU$ADF$T3$LYC$340' })).toEqual(['0750680G']);
    expect(claimedSchools({ FrEduRne: ['0750680g$UAJ$PU$ADF$T3$LYC$340', 'pas-un-uai$UAJ'], FrEduRneResp: '0382032C$UAJ$PU$DIR$T3$CLG$340,9830418M$UAJ$PU$DIR$T3$CLG$988' })).toEqual(['0382032C', '0750680G', '9830418M']);
    expect(claimedSchools({ FrEduRne: 42, FrEduRneResp: null })).toEqual([]);
    expect(claimValues({ FrEduFonctAdm: ['DIR', ' ADF '] }, 'FrEduFonctAdm')).toEqual(['DIR', 'ADF']);
  });

  it('make an académie admin by a configured claim value or subject, nobody else', () => {
    expect(isAcademieAdmin({ sub: 'x', FrEduFonctAdm: 'DAFPIC' }, rules)).toBe(true);
    expect(isAcademieAdmin({ sub: 'x', FrEduFonctAdm: ['DIR', 'DAFPIC'] }, rules)).toBe(true);
    expect(isAcademieAdmin({ sub: 'chef-dane' }, rules)).toBe(true);
    expect(isAcademieAdmin({ sub: 'x', FrEduFonctAdm: 'DIR', FrEduRne: 'DAFPIC' }, rules)).toBe(false);
    expect(isAcademieAdmin({ sub: 'x', FrEduFonctAdm: 'DAFPIC' }, { adminClaims: [], adminSubjects: [] })).toBe(false);
  });

  it('name the user from name, else given and family names', () => {
    expect(displayName({ name: ' Claire Martin ' })).toBe('Claire Martin');
    expect(displayName({ given_name: 'Claire', family_name: 'Martin' })).toBe('Claire Martin');
    expect(displayName({ sub: 'x' })).toBeUndefined();
  });
});
