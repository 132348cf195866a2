// The upload script of the school's page, served as a same-origin file (`GET /portail.js`) since
// the CSP (guard.ts: script-src 'self') runs no inline script. One PUT per file, the raw file as
// the body (the browser streams it), the name in the query string, the session's CSRF token in
// `X-CSRF-Token`; the server answers with the report as an HTML fragment it escaped. The page
// gives the upload URL, the token and the size cap as data-* attributes of #depot.
import { createHash } from 'node:crypto';

export const UPLOAD_SCRIPT = `(function(){
  var zone=document.getElementById('zone'),list=document.getElementById('rapports'),form=document.getElementById('depot');
  if(!zone||!list||!form)return;
  var url=form.getAttribute('data-url'),csrf=form.getAttribute('data-csrf'),MAX=Number(form.getAttribute('data-max'));
  function send(file,step){
    var item=document.createElement('li');item.className='pending';item.textContent=file.name+' : envoi…';list.insertBefore(item,list.firstChild);
    if(file.size>MAX){item.className='refused';item.textContent=file.name+' : refusé, '+(file.size/1048576).toFixed(1)+' Mo ('+Math.floor(MAX/1048576)+' Mo au plus par fichier).';return;}
    var q=(url.indexOf('?')<0?'?':'&')+'nom='+encodeURIComponent(file.name)+(step?'&etape='+encodeURIComponent(step):'');
    fetch(url+q,{method:'PUT',body:file,headers:{'Content-Type':'application/octet-stream','X-CSRF-Token':csrf},credentials:'same-origin'})
      .then(function(r){return r.text();}).then(function(t){item.className='done';item.innerHTML=t;})
      .catch(function(e){item.className='refused';item.textContent=file.name+' : envoi interrompu ('+e.message+').';});
  }
  function all(files,step){for(var i=0;i<files.length;i++)send(files[i],step);}
  zone.addEventListener('dragover',function(e){e.preventDefault();zone.classList.add('over');});
  zone.addEventListener('dragleave',function(){zone.classList.remove('over');});
  zone.addEventListener('drop',function(e){e.preventDefault();zone.classList.remove('over');all(e.dataTransfer.files,'');});
  document.querySelectorAll('input[type=file]').forEach(function(input){input.addEventListener('change',function(){all(input.files,input.getAttribute('data-step')||'');input.value='';});});
})();
`;

/** The script's path, versioned by its content: a browser may keep it as long as it likes. */
export const UPLOAD_SCRIPT_PATH = '/portail.js';
export const UPLOAD_SCRIPT_URL = `${UPLOAD_SCRIPT_PATH}?v=${createHash('sha256').update(UPLOAD_SCRIPT).digest('hex').slice(0, 12)}`;
